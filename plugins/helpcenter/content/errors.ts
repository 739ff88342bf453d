/**
 * The content area's coded errors (`HELPCENTER_…`), each with its HTTP status, and the 404 and
 * 422 of ids a request names that this service does not have; messages name the thing and the fix.
 */
import { errors, OcError, type FieldIssue } from '../../../core/mod.ts'

export const CONTENT_ERROR_STATUS = {
  /** A category still has sub-categories or entries. */
  HELPCENTER_CATEGORY_IN_USE: 409,
} as const

export type ContentErrorCode = keyof typeof CONTENT_ERROR_STATUS

export function contentError(code: ContentErrorCode, message: string, issues?: FieldIssue[]): OcError {
  return new OcError(code, message, { status: CONTENT_ERROR_STATUS[code], ...(issues ? { issues } : {}) })
}

/** 404 for an id in the path that this service does not have (another tenant's ids included). */
export function notFoundAt(path: string, noun: string, id: string | number): OcError {
  return new OcError('OC_NOT_FOUND', `${noun} '${id}' was not found in this service`, { issues: [{ path, message: `no ${noun} with this id in this service`, code: 'not_found' }] })
}

/** 422 for a value of the body that cannot be used, at its field. */
export function invalidAt(path: string, message: string, code = 'invalid'): OcError {
  return errors.invalid([{ path, message, code }])
}
