/**
 * Dates and date-times as field values arrive: `YYYY-MM-DD`, and date-times either as ISO 8601
 * with an offset or as the seed product's wall-clock form `YYYY-MM-DD HH:mm`, which is read in
 * the service's time zone (a customer in Seoul typing 14:30 means 14:30 in Seoul).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i

function validCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** `YYYY-MM-DD` when `text` is a real calendar date in that form, else null. */
export function parseDate(text: string): string | null {
  const m = DATE.exec(text)
  if (!m) return null
  return validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? text : null
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Minutes `timeZone` is ahead of UTC at `instant`. */
function zoneOffsetMinutes(instant: number, timeZone: string): number {
  let format = formatters.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formatters.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]))
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000)
}

/** The instant of a wall-clock time in `timeZone`; the offset is re-read at the result so DST edges land right. */
function wallClockInstant(wall: number, timeZone: string): number {
  const first = wall - zoneOffsetMinutes(wall, timeZone) * 60_000
  return wall - zoneOffsetMinutes(first, timeZone) * 60_000
}

/** The instant `text` names, or null when it is not a date-time in an accepted form. */
export function parseDateTime(text: string, timeZone: string): Date | null {
  const m = DATE_TIME.exec(text)
  if (!m) return null
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number]
  if (!validCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3))
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis)
  const zone = m[8]
  if (!zone) return new Date(wallClockInstant(wall, timeZone))
  if (zone.toUpperCase() === 'Z') return new Date(wall)
  const digits = zone.replace(':', '')
  const offset = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)))
  return new Date(wall - offset * 60_000)
}

/** Splits a range written `from ~ to` (the seed product's form); null when it is not one. */
export function splitRange(text: string): [string, string] | null {
  const parts = text.split('~').map((p) => p.trim())
  return parts.length === 2 && parts[0] && parts[1] ? [parts[0], parts[1]] : null
}
