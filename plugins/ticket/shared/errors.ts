/**
 * The ticket plugin's own error codes (core codes start with `OC_`, these with `TICKET_`), each
 * with its HTTP status, and constructors whose messages name the thing and the fix.
 */
import { errors, OcError, unknownReference, type FieldIssue, type ReferenceKind } from '../../../core/mod.ts'

export const TICKET_ERROR_STATUS = {
  /** A category still has children, fields, templates or tickets. */
  TICKET_CATEGORY_IN_USE: 409,
  /** A field code was taken before, possibly by a field since deleted. */
  TICKET_FIELD_CODE_USED: 409,
  /** System fields keep their code, type and place; they are not deleted or detached. */
  TICKET_SYSTEM_FIELD: 409,
  /** A per-service ceiling (categories per tree, banned words, links per category). */
  TICKET_LIMIT_REACHED: 409,
  TICKET_BANNED_WORD_EXISTS: 409,
  /** Another external mail account of the service has this address. */
  TICKET_MAIL_ACCOUNT_EXISTS: 409,
  /** A text (an agent reply) contains banned words; the issues say which and where. */
  TICKET_BANNED_WORDS_FOUND: 422,
  /** Storage refused what a received mail holds; it was recorded under GET /ticket/mail/set-aside. */
  TICKET_MAIL_SET_ASIDE: 422,
} as const

export type TicketErrorCode = keyof typeof TICKET_ERROR_STATUS

export function ticketError(code: TicketErrorCode, message: string, issues?: FieldIssue[]): OcError {
  return new OcError(code, message, { status: TICKET_ERROR_STATUS[code], ...(issues ? { issues } : {}) })
}

/**
 * 422 for an id a request body names that this service does not have (another tenant's ids
 * included), at its field: `'<id>' is not <noun>; <fix>` (code `unknown_reference`). Path ids
 * that are not found are 404 ({@link notFoundAt}).
 */
export function unknownAt(path: string, kind: ReferenceKind, id: string): OcError {
  return errors.invalid([unknownReference(path, kind, id)])
}

/**
 * 404 for an id the request names that this service does not have (another tenant's ids
 * included: row-level security makes them indistinguishable from ids that never existed).
 * `path` says which input carried it, e.g. `body.parentId`.
 */
export function notFoundAt(path: string, noun: string, id: string): OcError {
  return new OcError('OC_NOT_FOUND', `${noun} '${id}' was not found in this service`, { issues: [{ path, message: `no ${noun} with this id in this service`, code: 'not_found' }] })
}
