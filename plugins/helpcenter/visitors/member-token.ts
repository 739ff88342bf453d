/**
 * The seed product's member-integration token (VENDOR-APIS.md §2), checked without storage:
 * Base64(HMAC-SHA256(key, `service&usercode&[username&][email&][phone&][memberno&][returnUrl&]time`)),
 * blank optional values left out, `time` in epoch milliseconds. A token older than three minutes
 * is refused, and so is one from more than {@link CLOCK_SKEW_MS} in the future (a clock that far
 * ahead would stretch the window). Replays are refused by the caller (used-tokens.ts).
 */
import { errors } from '../../../core/mod.ts'
import type { Member } from './member.ts'
import { hmacBase64, sameText } from './tokens.ts'

/** How old a sign-in token may be (the seed product's three minutes; the JWT's `iat` too). */
export const TOKEN_WINDOW_MS = 3 * 60 * 1000
/** How far ahead of ours a tenant's clock may run. */
export const CLOCK_SKEW_MS = 30 * 1000

/** The fields a tenant's page or server posts, as strings (blank ones are left out of the message). */
export interface MemberTokenFields {
  readonly service: string
  readonly usercode: string
  readonly username?: string | undefined
  readonly email?: string | undefined
  readonly phone?: string | undefined
  readonly memberno?: string | undefined
  readonly returnUrl?: string | undefined
  readonly time: string
  readonly token: string
}

/** The signed message, in the documented order. */
export function memberTokenMessage(fields: Omit<MemberTokenFields, 'token'>): string {
  const optional = [fields.username, fields.email, fields.phone, fields.memberno, fields.returnUrl].filter((v): v is string => !!v && v.trim() !== '')
  return [fields.service, fields.usercode, ...optional, fields.time].join('&')
}

/** Signs the fields (what a tenant's login does; the tests and the README's example use it). */
export function signMemberToken(key: string, fields: Omit<MemberTokenFields, 'token'>): Promise<string> {
  return hmacBase64(key, memberTokenMessage(fields))
}

/**
 * Checks a posted token against the service's key and the clock; returns the member it names and
 * when the token stops being accepted (how long to remember it). Throws 401 naming the field.
 */
export async function verifyMemberToken(fields: MemberTokenFields, expected: { key: string; service: string; now?: number }): Promise<{ member: Member; acceptedUntil: Date }> {
  const now = expected.now ?? Date.now()
  if (fields.service !== expected.service) throw errors.unauthenticated(`service: the token is for service '${fields.service}', but this is '${expected.service}'; sign it with this service's id`)
  if (!/^\d{1,16}$/.test(fields.time)) throw errors.unauthenticated('time: send the signing time in epoch milliseconds (digits only)')
  const time = Number(fields.time)
  if (now - time > TOKEN_WINDOW_MS) throw errors.unauthenticated(`time: the token was signed ${Math.round((now - time) / 1000)} s ago; tokens are accepted for ${TOKEN_WINDOW_MS / 1000} s, so sign a new one`)
  if (time - now > CLOCK_SKEW_MS) throw errors.unauthenticated(`time: the token is signed ${Math.round((time - now) / 1000)} s in the future; check the clock of the signing server`)
  const signed = await signMemberToken(expected.key, fields)
  if (!sameText(signed, fields.token.trim())) throw errors.unauthenticated('token: the signature does not match the fields; sign service&usercode&[username&][email&][phone&][memberno&][returnUrl&]time with the member-integration key of the help center settings')
  const blankless = (v: string | undefined) => (v && v.trim() !== '' ? v : undefined)
  return {
    member: { usercode: fields.usercode, name: blankless(fields.username), email: blankless(fields.email), phone: blankless(fields.phone), memberno: blankless(fields.memberno) },
    acceptedUntil: new Date(time + TOKEN_WINDOW_MS),
  }
}
