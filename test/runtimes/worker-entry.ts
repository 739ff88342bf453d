/**
 * The module worker the workerd conformance harness bundles: the platform with the `hello`
 * example plugin (and the ticket plugin it depends on), configured by bindings, with Swagger UI's files inlined by esbuild.
 */
import helloPlugin from '../../examples/hello-plugin/mod.ts'
import ticket from '../../plugins/ticket/mod.ts'
import { bundledDocsAssets, createWorker } from '../../core/runtime/worker.ts'
// @ts-expect-error no type declarations: esbuild inlines the file as a string (import attribute `type: 'text'`)
import swaggerCss from 'swagger-ui-dist/swagger-ui.css' with { type: 'text' }
// @ts-expect-error no type declarations: esbuild inlines the file as a string (import attribute `type: 'text'`)
import swaggerBundle from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'text' }

export default createWorker({
  plugins: [ticket, helloPlugin],
  docsAssets: bundledDocsAssets({ 'swagger-ui.css': swaggerCss as string, 'swagger-ui-bundle.js': swaggerBundle as string }),
})
