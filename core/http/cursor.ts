/**
 * Opaque keyset cursors over a numeric id (newest-first lists): the client passes `nextCursor`
 * back unchanged; anything else is refused naming `query.cursor`.
 */
import { errors } from './errors.ts'

export const encodeIdCursor = (id: string | number): string => btoa(String(id)).replaceAll('=', '')

/** The id a cursor stands for, or null without one; throws 422 for a cursor this list never gave. */
export function decodeIdCursor(cursor: string | undefined): string | null {
  if (!cursor) return null
  try {
    const id = atob(cursor)
    if (/^\d{1,19}$/.test(id)) return id
  } catch {
    // not base64: refused below
  }
  throw errors.invalid([{ path: 'query.cursor', message: 'not a cursor from this list; pass nextCursor unchanged' }])
}
