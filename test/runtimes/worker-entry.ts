/**
 * The module worker the workerd conformance harness bundles: the platform with the `hello`
 * example plugin and the ticket plugin, configured by bindings, with Swagger UI's files inlined
 * by esbuild (and `mjml` aliased to `mjml-browser`, see plugins/ticket/mail/layout/mjml.ts).
 */
import helloPlugin from '../../examples/hello-plugin/mod.ts'
import ticketPlugin from '../../plugins/ticket/mod.ts'
import { bundledDocsAssets, createWorker } from '../../core/runtime/worker.ts'
// @ts-expect-error no type declarations: esbuild inlines the file as a string (import attribute `type: 'text'`)
import swaggerCss from 'swagger-ui-dist/swagger-ui.css' with { type: 'text' }
// @ts-expect-error no type declarations: esbuild inlines the file as a string (import attribute `type: 'text'`)
import swaggerBundle from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'text' }

export default createWorker({
  plugins: [helloPlugin, ticketPlugin],
  docsAssets: bundledDocsAssets({ 'swagger-ui.css': swaggerCss as string, 'swagger-ui-bundle.js': swaggerBundle as string }),
})
