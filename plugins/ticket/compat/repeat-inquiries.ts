/**
 * Repeat-inquiry blocking on the compat ticket create (the seed product's spam limits, C16):
 * while a service turns it on (ticket settings `repeatInquiryBlocking`, settings.ts), one
 * customer's inquiry is refused with
 *   resultCode 1001  sooner than `repeatInquiryIntervalSeconds` after the customer's last one;
 *   resultCode 1002  when the customer filed `repeatInquiryDailyLimit` of them in the last 24 hours.
 * The customer is the call's `OC-Client-IP` (the seed product's key), else the end user's
 * usercode, else e-mail (lower-cased); a call naming none of them is not limited.
 *
 * Runs inside the create's checking transaction (tickets/create.ts): the mark is committed once
 * the inquiry passed validation and undone with a refused one (only filed inquiries count), and
 * a per-customer advisory lock makes two concurrent inquiries of one customer count one after
 * the other. Marks older than a day are
 * deleted as new ones are written; customers are kept only as hashes.
 */
import { cleanText, type PluginContext, type Queryable } from '../../../core/mod.ts'
import { TicketSettings } from '../settings.ts'
import { CompatError, RESULT } from './envelope.ts'

export interface InquirySender {
  readonly kind: 'client IP' | 'usercode' | 'e-mail'
  readonly value: string
}

/** Who an inquiry is from, for the limits; null when the call names no one. */
export function inquirySender(clientIp: string | undefined, endUser: { usercode?: string; email?: string }): InquirySender | null {
  // Only a hash of the key is stored, so text PostgreSQL cannot take is mended rather than refused.
  const ip = cleanText(clientIp?.trim() ?? '')
  if (ip) return { kind: 'client IP', value: ip }
  const usercode = cleanText(endUser.usercode?.trim() ?? '')
  if (usercode) return { kind: 'usercode', value: usercode }
  const email = cleanText(endUser.email?.trim().toLowerCase() ?? '')
  return email ? { kind: 'e-mail', value: email } : null
}

const DAY_SECONDS = 86_400

/** Refuses the inquiry past the service's limits (1001/1002), else records it; nothing while blocking is off. */
export async function limitRepeatInquiries(ctx: PluginContext, tx: Queryable, sender: InquirySender | null): Promise<void> {
  if (!sender) return
  // The compat routes hand an untyped context down (their mounts are declared apart from the
  // plugin); read through the schema, the values are typed without a cast (they are the
  // effective settings, so this parse only checks again what was checked on write).
  const settings = TicketSettings.parse(await ctx.settings(tx))
  if (!settings.repeatInquiryBlocking) return
  const key = `${sender.kind}:${sender.value}`
  await tx.sql`SELECT pg_advisory_xact_lock(hashtextextended(oc_current_service()::text || ${key}, 0))`
  const [seen] = await tx.sql<{ recent: number; since_last: number | null; until_free: number | null }>`
    WITH expired AS (DELETE FROM ticket_compat_inquiries WHERE created_at < now() - interval '1 day')
    SELECT count(*)::int AS recent,
           extract(epoch FROM now() - max(created_at))::float8 AS since_last,
           extract(epoch FROM min(created_at) + interval '1 day' - now())::float8 AS until_free
      FROM ticket_compat_inquiries
     WHERE sender_hash = encode(sha256(convert_to(${key}, 'UTF8')), 'hex') AND created_at >= now() - interval '1 day'`
  const who = `${sender.kind} ${sender.kind === 'client IP' ? sender.value : `'${sender.value}'`}`
  if (seen && seen.recent >= settings.repeatInquiryDailyLimit) {
    const wait = Math.max(1, Math.ceil(seen.until_free ?? DAY_SECONDS))
    throw new CompatError(RESULT.dailyInquiryLimit, `repeat-inquiry blocking: the customer (${who}) filed ${seen.recent} inquiries in the last 24 hours, this service's limit (${settings.repeatInquiryDailyLimit}); try again in ${wait} seconds`)
  }
  if (seen && seen.since_last !== null && seen.since_last < settings.repeatInquiryIntervalSeconds) {
    const wait = Math.max(1, Math.ceil(settings.repeatInquiryIntervalSeconds - seen.since_last))
    throw new CompatError(RESULT.repeatInquiryTooSoon, `repeat-inquiry blocking: the customer (${who}) filed an inquiry ${Math.floor(seen.since_last)} seconds ago; this service takes one per ${settings.repeatInquiryIntervalSeconds} seconds, try again in ${wait} seconds`)
  }
  await tx.sql`INSERT INTO ticket_compat_inquiries (sender_hash) VALUES (encode(sha256(convert_to(${key}, 'UTF8')), 'hex'))`
}
