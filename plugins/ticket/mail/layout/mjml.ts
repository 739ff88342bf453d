/**
 * The MJML compiler, loaded on first use: compiling happens only when an admin saves a layout
 * (and in the benchmark), so starting the plugin and sending mail never pay for loading it.
 *
 * Node and Deno load `mjml`. A Workers bundle aliases the module to `mjml-browser` (the same
 * function, without file-system includes or the Node-only HTML minifier), which expects a
 * browser global; bundle it with esbuild like this:
 *
 *   esbuild.build({ ..., alias: { mjml: 'mjml-browser' }, banner: { js: 'var window = globalThis;' } })
 *
 * The specifier stays a string literal so that the alias applies to this dynamic import too.
 */
import type { MjmlOptions, MjmlResult } from 'mjml'

export type Mjml2Html = (source: string, options?: MjmlOptions) => MjmlResult | Promise<MjmlResult>

let loading: Promise<Mjml2Html> | undefined

export function loadMjml(): Promise<Mjml2Html> {
  loading ??= import('mjml').then((module) => {
    const exported = module as unknown as { default?: Mjml2Html }
    return (exported.default ?? (module as unknown as Mjml2Html))
  })
  return loading
}
