/**
 * What a page request is shown in: its language (the URL's `?lang=`, then the one the visitor
 * picked last, kept in a cookie because a GET form such as the search box drops its action's
 * query, then the browser's `Accept-Language`, then the service default; only the service's
 * languages) and its layout
 * (the URL's `?device=`, which the visitor's choice cookie then remembers, else the user agent).
 */
import { getCookie, setCookie } from 'hono/cookie'
import type { PlatformContext } from '../../../core/mod.ts'
import type { Device } from '../default-theme/mod.ts'
import { cookieOptions } from '../visitors/visitor.ts'

export const DEVICE_COOKIE = 'oc_hc_device'
export const LANGUAGE_COOKIE = 'oc_hc_lang'
const YEAR_SECONDS = 365 * 24 * 60 * 60

const isDevice = (value: string | undefined): value is Device => value === 'pc' || value === 'mobile'

// Phones and small tablets; a large tablet gets the PC layout, as the guide's default template does.
const MOBILE_AGENT = /Mobi|Android.+Mobile|iPhone|iPod|Windows Phone|Opera Mini|IEMobile/i

/** The layout of this request; a `?device=` choice is kept in a cookie for the next pages. */
export function pageDevice(c: PlatformContext): Device {
  const asked = c.req.query('device')
  if (isDevice(asked)) {
    if (getCookie(c, DEVICE_COOKIE) !== asked) setCookie(c, DEVICE_COOKIE, asked, { ...cookieOptions(c), maxAge: YEAR_SECONDS })
    return asked
  }
  const chosen = getCookie(c, DEVICE_COOKIE)
  if (isDevice(chosen)) return chosen
  return MOBILE_AGENT.test(c.req.header('user-agent') ?? '') ? 'mobile' : 'pc'
}

/** The languages of an `Accept-Language` header, most wanted first (`q=0` left out). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return []
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index }
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.tag)
}

/** The page language among `languages` (the service's), per the order in the header comment. */
export function pageLanguage(asked: string | undefined, acceptLanguage: string | undefined, service: { languages: readonly string[]; defaultLanguage: string }): string {
  if (asked && service.languages.includes(asked)) return asked
  for (const tag of acceptedLanguages(acceptLanguage)) {
    const found = service.languages.find((code) => code.toLowerCase() === tag) ?? service.languages.find((code) => code.toLowerCase() === tag.split('-')[0])
    if (found) return found
  }
  return service.defaultLanguage
}

/** The language of this request's page; a `?lang=` choice is kept in a cookie for the next pages. */
export function requestLanguage(c: PlatformContext, service: { languages: readonly string[]; defaultLanguage: string }): string {
  const asked = c.req.query('lang')
  if (asked && service.languages.includes(asked)) {
    if (getCookie(c, LANGUAGE_COOKIE) !== asked) setCookie(c, LANGUAGE_COOKIE, asked, { ...cookieOptions(c), maxAge: YEAR_SECONDS })
    return asked
  }
  return pageLanguage(getCookie(c, LANGUAGE_COOKIE), c.req.header('accept-language'), service)
}

/** A language's own name for the language switch (`ko` → 한국어). */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code
  } catch {
    return code
  }
}
