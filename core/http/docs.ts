/**
 * The interactive API docs page (`/docs`): Swagger UI served from the installed
 * `swagger-ui-dist` package, never from a CDN, so it works with no internet. How the asset
 * bytes are read is the runtime's business (file system on Node and Deno, bundled on Workers).
 */

export const DOCS_ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const

export type DocsAssetName = keyof typeof DOCS_ASSETS

/** Reads a Swagger UI file; supplied by the runtime. */
export type DocsAssetReader = (name: DocsAssetName) => Promise<string | Uint8Array | null>

/** Starts Swagger UI on the document named by the page's `data-spec` attribute (no inline script, so a strict CSP works). */
export const DOCS_INIT_JS = `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({ url: root.getAttribute('data-spec'), dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });
});
`

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

export function docsPage(title: string, specUrl: string, assetBase: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeAttribute(title)}</title>
<link rel="stylesheet" href="${escapeAttribute(assetBase)}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-spec="${escapeAttribute(specUrl)}"></div>
<script src="${escapeAttribute(assetBase)}/swagger-ui-bundle.js"></script>
<script src="${escapeAttribute(assetBase)}/init.js"></script>
</body>
</html>
`
}
