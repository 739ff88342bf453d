/**
 * The safety headers of help-center pages and of theme assets. A page's policy lets a script
 * run only from the theme's own script path (no `'unsafe-inline'`, so neither an inline
 * `<script>` a template prints nor an event handler in content runs), styles from the service
 * and the theme's CSS path, images from the service, https and data URLs, and nothing frame
 * it, change its base URL or post its forms elsewhere.
 */

export interface PagePolicy {
  /** The request's origin (`https://acme.example.com`): CSP names a single file with its full URL. */
  readonly origin: string
  /** The theme's script path (`/o/acme/support/hc/assets/themes/<id>/<version>/theme.js`), or null for none. */
  readonly scriptPath: string | null
  /** Paths of the theme's style sheets (under the service, so `'self'` already covers them; listed for clarity). */
  readonly stylePaths?: readonly string[]
  /** Other script paths the platform itself adds (a slot another plugin contributes). */
  readonly extraScriptPaths?: readonly string[]
  /** `'sha256-…'` sources of inline elements the platform itself writes (a preview's unsaved CSS and script). */
  readonly inlineStyleHashes?: readonly string[]
  readonly inlineScriptHashes?: readonly string[]
  /** Origins that may frame the pages; none by default. */
  readonly frameAncestors?: readonly string[]
}

const fileSource = (origin: string, path: string) => `${origin}${path}`

/** The Content-Security-Policy of a help-center page. */
export function contentSecurityPolicy(policy: PagePolicy): string {
  const scripts = [policy.scriptPath, ...(policy.extraScriptPaths ?? [])].filter((p): p is string => !!p).map((p) => fileSource(policy.origin, p))
  const scriptSrc = [...scripts, ...(policy.inlineScriptHashes ?? []).map((h) => `'${h}'`)]
  const styleSrc = ["'self'", ...(policy.stylePaths ?? []).map((p) => fileSource(policy.origin, p)), ...(policy.inlineStyleHashes ?? []).map((h) => `'${h}'`)]
  const ancestors = policy.frameAncestors?.length ? policy.frameAncestors.join(' ') : "'none'"
  return [
    "default-src 'self'",
    `script-src ${scriptSrc.length ? scriptSrc.join(' ') : "'none'"}`,
    `style-src ${styleSrc.join(' ')}`,
    "img-src 'self' https: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    `frame-ancestors ${ancestors}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ')
}

/** Every safety header of a help-center page (HTML), the CSP included. */
export function pageSecurityHeaders(policy: PagePolicy): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(policy),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    // X-Frame-Options cannot name origins; with framing allowed, the CSP's frame-ancestors decides alone.
    ...(policy.frameAncestors?.length ? {} : { 'x-frame-options': 'DENY' }),
  }
}

/** The `'sha256-…'` CSP source of an inline element's text. */
export async function cspHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return `sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}`
}

export type AssetKind = 'css' | 'script'

const ASSET_TYPES: Record<AssetKind, string> = { css: 'text/css; charset=utf-8', script: 'text/javascript; charset=utf-8' }

/**
 * The answer serving a theme's CSS or script from its own path: the right type, `nosniff`
 * (so a browser never runs a style sheet as a script or the other way round), a CSP of its own
 * that runs nothing, and cached for good when the path names an immutable theme version.
 */
export function themeAssetResponse(kind: AssetKind, body: string, options: { immutable: boolean }): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': ASSET_TYPES[kind],
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cache-control': options.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    },
  })
}
