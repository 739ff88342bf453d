/**
 * A module worker that compiles mail layouts with the ticket plugin's layout compiler, bundled
 * as a Workers deployment bundles it (`mjml` aliased to `mjml-browser`): POST a layout source,
 * get the compiled HTML, or the refusal as the API would answer it.
 */
import { compileLayout } from '../../plugins/ticket/mail/layout/compile.ts'
import { OcError } from '../../core/mod.ts'

export default {
  async fetch(request: Request): Promise<Response> {
    const format = new URL(request.url).searchParams.get('format') === 'html' ? 'html' : 'mjml'
    try {
      return new Response(await compileLayout(format, await request.text()), { headers: { 'content-type': 'text/html' } })
    } catch (error) {
      if (error instanceof OcError) return Response.json({ code: error.code, issues: error.issues }, { status: error.status })
      return new Response(String((error as Error).stack ?? error), { status: 500 })
    }
  },
}
