/**
 * The identity area's error codes, beyond the core's catalogue. Each says what to do next.
 */
import { OcError } from '../http/errors.ts'

export const IDENTITY_ERROR_STATUS = {
  /** A service key was used while the service's Open API switch is off. */
  OC_OPEN_API_DISABLED: 403,
  /** A service-key call from an address outside the service's allowlist. */
  OC_IP_NOT_ALLOWED: 403,
  /** The invitation's time ran out, or it was revoked or replaced. */
  OC_INVITATION_GONE: 410,
} as const

type IdentityErrorCode = keyof typeof IDENTITY_ERROR_STATUS

export function identityError(code: IdentityErrorCode, message: string): OcError {
  return new OcError(code, message, { status: IDENTITY_ERROR_STATUS[code] })
}
