/**
 * The page cache: rendered pages of anonymous visitors, in memory per instance, keyed by
 * everything a page is made of: the theme version, layout, language, the service's settings,
 * the service's page version (pages/page-state.ts, moved by every write a page shows) and the
 * page's own URL. A change made through any instance is a new key on the next request
 * everywhere, and stale entries simply age out.
 * A signed-in member's page is never cached (it shows their name and their own inquiries).
 *
 * The forms' CSRF token differs per browser: a cached page holds a stand-in that is replaced by
 * the visitor's own token when the page is sent.
 */
export const CSRF_STAND_IN = 'oc-csrf-stand-in-3b9e1f7c'

export interface CachedPage {
  readonly status: 200 | 404 | 422
  readonly html: string
  readonly headers: Readonly<Record<string, string>>
  /** The entry a view of the page counts a read of. */
  readonly readEntryId: string | undefined
}

const MAX_PAGES = 2000
const pages = new Map<string, CachedPage>()

/** A cached page; a hit moves to the young end, so the oldest unused pages go first. */
export function cachedPage(key: string): CachedPage | undefined {
  const page = pages.get(key)
  if (page) {
    pages.delete(key)
    pages.set(key, page)
  }
  return page
}

export function cachePage(key: string, page: CachedPage): void {
  pages.set(key, page)
  if (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value!)
}

/** A weak ETag of a page as one visitor gets it (the page's key and their CSRF token). */
export async function pageETag(key: string, csrf: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${key}\n${csrf}`)))
  return `W/"${btoa(String.fromCharCode(...bytes.subarray(0, 18))).replace(/\+/g, '-').replace(/\//g, '_')}"`
}
