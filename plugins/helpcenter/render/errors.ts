/**
 * The help center's theme and string-set error codes (core codes start with `OC_`, these with
 * `HELPCENTER_`), each with its HTTP status; messages name the thing and the fix.
 */
import { OcError, type FieldIssue } from '../../../core/mod.ts'

export const THEME_ERROR_STATUS = {
  /** The theme is in use for its device type; set another in use first. */
  HELPCENTER_THEME_IN_USE: 409,
  /** Only an active theme may be set in use. */
  HELPCENTER_THEME_INACTIVE: 409,
  /** A template does not parse or reads a variable its page type does not have. */
  HELPCENTER_TEMPLATE_INVALID: 422,
  /** A template took longer or more memory to render than a page may. */
  HELPCENTER_RENDER_LIMIT: 422,
  /** A string-set code is taken (by a system set or another custom set). */
  HELPCENTER_STRING_CODE_TAKEN: 409,
  /** System string sets keep their code and are not deleted. */
  HELPCENTER_SYSTEM_STRING: 409,
  HELPCENTER_STRING_TAG_EXISTS: 409,
} as const

export type ThemeErrorCode = keyof typeof THEME_ERROR_STATUS

export function themeError(code: ThemeErrorCode, message: string, issues?: FieldIssue[]): OcError {
  return new OcError(code, message, { status: THEME_ERROR_STATUS[code], ...(issues ? { issues } : {}) })
}
