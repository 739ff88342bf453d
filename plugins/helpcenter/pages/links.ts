/**
 * The URLs a page links to: every link of the help center carries the page language (`?lang=`),
 * so a language the visitor picked stays picked from page to page whatever their browser asks
 * for; the layout choice travels in its cookie instead, so links stay the same on PC and mobile
 * (and the canonical URL is one per language).
 */
import type { PageData } from '../render/page-types.ts'

export type Query = Readonly<Record<string, string | number | null | undefined>>

export class PageLinks {
  constructor(
    /** The help center's base path (`/o/acme/support/hc` or `/support/hc`). */
    readonly base: string,
    /** The request's origin, for canonical and alternate links. */
    readonly origin: string,
    readonly language: string,
  ) {}

  /** A path of the help center in the page language, with `query` (empty values left out). */
  to(path: string, query: Query = {}, language = this.language): string {
    const params = new URLSearchParams({ lang: language })
    for (const [key, value] of Object.entries(query)) if (value !== null && value !== undefined && value !== '') params.set(key, String(value))
    // The home page is the group itself (`…/hc`), without a trailing slash.
    return `${this.base}${path === '/' ? '' : path}?${params}`
  }

  /** The same, absolute (canonical, hreflang, sitemap). */
  absolute(path: string, query: Query = {}, language = this.language): string {
    return `${this.origin}${this.to(path, query, language)}`
  }

  /** The page's numbered pages (`page` from 1), each link `path` with `query` and its `page`. */
  pagination(path: string, query: Query, page: number, pages: number): PageData<'notice_list'>['pagination'] {
    const last = Math.max(1, pages)
    const at = (n: number) => this.to(path, { ...query, page: n === 1 ? null : n })
    // Ten numbers around the current page, as the guide's lists show.
    const first = Math.max(1, Math.min(page - 4, last - 9))
    const numbers = Array.from({ length: Math.min(10, last - first + 1) }, (_, i) => first + i).map((n) => ({ number: n, url: at(n), current: n === page }))
    return { page, pages: last, firstUrl: at(1), prevUrl: page > 1 ? at(page - 1) : null, nextUrl: page < last ? at(page + 1) : null, lastUrl: at(last), numbers }
  }
}
