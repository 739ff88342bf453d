/**
 * How the compat OPEN API's vocabulary maps onto ours (C16), both ways.
 *
 * Status (ours -> documented):   new -> new, open -> open, on-hold -> open, pending -> reply,
 *                                completed -> solved. `closed` is never reported: a completed
 *                                ticket can always be reopened by a customer comment, which is
 *                                what `solved` means; a `status=closed` filter matches nothing.
 * Status filter (documented -> ours): new -> new; open -> open, on-hold; reply -> pending;
 *                                solved -> completed; closed -> (none).
 * Source (documented -> ours):   web -> channel web; spweb -> channel web + compat_source spweb;
 *                                api -> channel api. Ours -> documented: web (spweb when marked);
 *                                every other channel (api, email, phone, chat, ...) -> api.
 * Field values in (documented -> what the validator takes): text, textarea, dropdown, radio,
 *   e-mail, phone: the string; number: number or numeric string; checkbox with options and
 *   multi-select: an array of option values (a comma-separated string is split); an agree flag (a
 *   checkbox without options): true/false, also "true"/"false", "Y"/"N"; date `YYYY-MM-DD`;
 *   datetime `YYYY-MM-DD HH:mm` in the service's time zone; ranges `a ~ b`.
 * Field values out (stored -> documented): datetimes as `YYYY-MM-DD HH:mm` in the service's time
 *   zone, ranges as `a ~ b`, everything else as stored.
 * Field types out: our type names, except a checkbox without options, which is `agree`.
 */
import type { FieldDefinition } from '../fields/types.ts'
import type { ChoiceDetails, DateDetails } from '../fields/types.ts'
import type { TicketStatus } from '../tickets/lifecycle.ts'
import type { Channel } from '../tickets/schemas.ts'

export const COMPAT_STATUSES = ['new', 'open', 'reply', 'solved', 'closed'] as const
export type CompatStatus = (typeof COMPAT_STATUSES)[number]
export const COMPAT_SOURCES = ['web', 'spweb', 'api'] as const
export type CompatSource = (typeof COMPAT_SOURCES)[number]

export function compatStatus(status: TicketStatus): CompatStatus {
  switch (status) {
    case 'new':
      return 'new'
    case 'open':
    case 'on-hold':
      return 'open'
    case 'pending':
      return 'reply'
    case 'completed':
      return 'solved'
    default: {
      const unreachable: never = status
      return unreachable
    }
  }
}

export function ourStatuses(status: CompatStatus): TicketStatus[] {
  switch (status) {
    case 'new':
      return ['new']
    case 'open':
      return ['open', 'on-hold']
    case 'reply':
      return ['pending']
    case 'solved':
      return ['completed']
    case 'closed':
      return []
    default: {
      const unreachable: never = status
      return unreachable
    }
  }
}

export const channelOf = (source: CompatSource): Channel => (source === 'api' ? 'api' : 'web')

export function compatSource(channel: Channel, marked: string | null): CompatSource {
  if (channel === 'web') return marked === 'spweb' ? 'spweb' : 'web'
  return 'api'
}

export const isYesNo = (field: FieldDefinition) => field.type === 'checkbox' && !(field.details as Partial<ChoiceDetails>).options?.length

export const compatFieldType = (field: FieldDefinition): string => (isYesNo(field) ? 'agree' : field.type)

/** A documented value, turned into what our validator accepts; anything else is passed on for it to judge. */
export function incomingValue(field: FieldDefinition | undefined, value: unknown): unknown {
  if (!field) return value
  if (isYesNo(field) && typeof value === 'string') {
    const text = value.trim().toLowerCase()
    if (text === 'true' || text === 'y') return true
    if (text === 'false' || text === 'n' || text === '') return false
    // Any other text is passed on whole, to be refused as not true or false (not split as a list).
    return value
  }
  if ((field.type === 'checkbox' || field.type === 'multi-select') && typeof value === 'string') {
    return value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean)
  }
  return value
}

const wallClock = new Map<string, Intl.DateTimeFormat>()

/** `YYYY-MM-DD HH:mm` of an instant in a time zone. */
export function wallClockText(instant: string | number | Date, timeZone: string): string {
  let format = wallClock.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    wallClock.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

/** A stored value in the documented format. */
export function outgoingValue(field: FieldDefinition | undefined, value: unknown, timeZone: string): unknown {
  if (!field || value === null || value === undefined) return value ?? null
  const one = (v: unknown) => (field.type === 'datetime' && typeof v === 'string' ? wallClockText(v, timeZone) : v)
  if ((field.type === 'date' || field.type === 'datetime') && (field.details as DateDetails).range && typeof value === 'object' && value !== null && 'from' in value) {
    const range = value as { from: string; to: string }
    return `${one(range.from)} ~ ${one(range.to)}`
  }
  return one(value)
}
