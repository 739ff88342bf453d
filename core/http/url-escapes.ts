/**
 * Percent-escapes in a URL that are not UTF-8: `%C3%28` (a lead byte without its follower),
 * `%FF`, or `%ED%A0%80` (the bytes of a lone surrogate). Decoding keeps such a run as written
 * (see `queryValues`), so it would reach a route as the literal text `%C3%28`, which the client
 * never meant; the request is refused instead, naming the parameter (`query.q`, `path.id`), as
 * a JSON body that is not UTF-8 is refused (validation.ts).
 */
import type { FieldIssue } from './errors.ts'

/** An escape of a byte above 0x7F: URLs without one decode as ASCII and need no check. */
export const NON_ASCII_ESCAPE = /%[89A-Fa-f][0-9A-Fa-f]/

const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g

/** A query name or value as `queryValues` reads it: `+` is a space, escapes decoded, a run that does not decode kept as written. */
export function decodeQueryPart(part: string): string {
  if (part.indexOf('%') === -1 && part.indexOf('+') === -1) return part
  const spaced = part.replace(/\+/g, ' ')
  if (spaced.indexOf('%') === -1) return spaced
  try {
    return decodeURIComponent(spaced)
  } catch {
    return spaced.replace(ESCAPE_RUN, (run) => {
      try {
        return decodeURIComponent(run)
      } catch {
        return run
      }
    })
  }
}

export const INVALID_ENCODING = 'invalid_encoding'

/** Whether every run of escapes in `part` decodes as UTF-8 (a `%` not followed by two hex digits is plain text). */
export function escapesDecode(part: string): boolean {
  if (!NON_ASCII_ESCAPE.test(part)) return true
  for (const [run] of part.matchAll(ESCAPE_RUN)) {
    try {
      decodeURIComponent(run)
    } catch {
      return false
    }
  }
  return true
}

const issue = (path: string): FieldIssue => ({ path, message: 'has percent-escapes that are not UTF-8; percent-encode the UTF-8 bytes of the text', code: INVALID_ENCODING })

/**
 * The issues of a request URL: each path parameter (read off the raw path by the route's
 * pattern, `/tickets/:id`) and each query name or value whose escapes do not decode.
 */
export function urlEscapeIssues(url: string, routePath: string): FieldIssue[] {
  const issues: FieldIssue[] = []
  const start = url.indexOf('/', url.indexOf('//') + 2)
  const queryAt = url.indexOf('?', start)
  const hashAt = url.indexOf('#', start)
  const pathEnd = queryAt !== -1 ? queryAt : hashAt !== -1 ? hashAt : url.length
  const segments = url.slice(start, pathEnd).split('/')
  const pattern = routePath.split('/')
  for (let i = 0; i < segments.length; i++) {
    if (escapesDecode(segments[i]!)) continue
    const declared = pattern[i]
    // A segment the pattern names (`:id`, `:id{[0-9]+}`) is that parameter; a literal one could not have matched.
    issues.push(issue(declared?.startsWith(':') ? `path.${declared.slice(1).replace(/[{?].*$/, '')}` : 'path'))
  }
  if (queryAt !== -1) {
    const query = url.slice(queryAt + 1, hashAt > queryAt ? hashAt : url.length)
    for (const pair of query.split('&')) {
      if (escapesDecode(pair)) continue
      const equals = pair.indexOf('=')
      const name = equals === -1 ? pair : pair.slice(0, equals)
      issues.push(issue(`query.${escapesDecode(name) ? decodeQueryPart(name) : 'name'}`))
    }
  }
  return issues
}
