/**
 * The field-value validator the ticket work calls on every ticket write: given the definitions
 * that apply (the intake category's form, plus agent fields) and the values sent by code, it
 * either returns the values normalized or every problem, each naming the field's code.
 *
 * Normalized forms (what tickets store):
 * - text, textarea, email, phone: the trimmed string (single-line text refuses line breaks)
 * - number: a number (numeric strings accepted)
 * - checkbox without options: a boolean; with options, and multi-select: the chosen option
 *   values, each once, in option order
 * - radio, dropdown: the option value
 * - date: `YYYY-MM-DD`; datetime: an ISO instant in UTC (`2024-05-01T05:30:00.000Z`), wall-clock
 *   input (`2024-05-01 14:30`) read in the service's time zone
 * - ranges (date or datetime with `range`): `{ from, to }`, from `"a ~ b"`, `{ from, to }` or `[a, b]`
 * Empty values (null, '', [], and `false` for a yes/no box) count as missing: a required field
 * reports `required`, an optional one is left out of the result.
 */
import { isUuid, type FieldIssue } from '../../../core/mod.ts'
import { parseDate, parseDateTime, splitRange } from './dates.ts'
import type { ChoiceDetails, DateDetails, FieldDefinition, NumberDetails, TextDetails } from './types.ts'

export type FieldValue = string | number | boolean | string[] | { from: string; to: string }

export interface FieldValueOptions {
  /** The service's IANA time zone: wall-clock date-times are read in it. */
  readonly timeZone: string
  /** Where a field's issues point; defaults to `body.fields.<code>`. */
  readonly pathOf?: (code: string) => string
  /** The ids a field whose choices are the intake categories accepts (e.g. the active ones). Without it any uuid passes. */
  readonly intakeCategoryIds?: ReadonlySet<string>
}

export type FieldValidation = { ok: true; values: Record<string, FieldValue> } | { ok: false; issues: FieldIssue[] }

/** Default lengths where a definition sets none: a line of text, and a long message. */
const DEFAULT_MAX_LENGTH = { text: 255, textarea: 20_000 } as const
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[0-9][0-9 ().-]*[0-9]$/
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** A required yes/no box left unchecked; the privacy consent, which every customer form has, says what it is. */
const checkedMessage = (code: string) =>
  code === 'privacy_consent'
    ? `'privacy_consent' is required: the customer's consent to the collection of personal information, which every customer form has; send "privacy_consent": true in fields`
    : `'${code}' must be checked: send "${code}": true`

/** A problem with one value: the message, and a stable code (required, invalid_type, invalid_format, too_short, ...). */
class Problem {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

const isEmpty = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0)

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function asString(value: unknown, hint: string): string {
  if (typeof value !== 'string') throw new Problem('invalid_type', `expected text, got ${describe(value)}; ${hint}`)
  return value.trim()
}

function checkLength(text: string, details: Pick<TextDetails, 'minLength' | 'maxLength'>, fallbackMax: number): void {
  const length = [...text].length
  const max = details.maxLength ?? fallbackMax
  if (details.minLength !== undefined && length < details.minLength) throw new Problem('too_short', `is ${length} characters long; write at least ${details.minLength}`)
  if (length > max) throw new Problem('too_long', `is ${length} characters long; the most allowed is ${max}`)
}

/** Compiled patterns, anchored so the whole value must match; bounded because patterns come from every tenant. */
const compiledPatterns = new Map<string, RegExp>()
function wholeMatch(pattern: string): RegExp {
  let regex = compiledPatterns.get(pattern)
  if (!regex) {
    if (compiledPatterns.size >= 500) compiledPatterns.clear()
    regex = new RegExp(`^(?:${pattern})$`, 'u')
    compiledPatterns.set(pattern, regex)
  }
  return regex
}

function textValue(value: unknown, details: TextDetails, multiline: boolean): string {
  const text = asString(value, 'send a string')
  if (!multiline && /[\r\n]/.test(text)) throw new Problem('invalid_format', 'is a single-line field; remove the line breaks')
  checkLength(text, details, multiline ? DEFAULT_MAX_LENGTH.textarea : DEFAULT_MAX_LENGTH.text)
  if (details.pattern && !wholeMatch(details.pattern).test(text)) throw new Problem('pattern', `does not match the required pattern ${details.pattern}`)
  return text
}

function numberValue(value: unknown, details: NumberDetails): number {
  if (typeof value !== 'number' && typeof value !== 'string') throw new Problem('invalid_type', `expected a number, got ${describe(value)}`)
  const number = typeof value === 'number' ? value : NUMERIC.test(value.trim()) ? Number(value.trim()) : NaN
  if (!Number.isFinite(number)) throw new Problem('invalid_type', `'${String(value)}' is not a number; send digits such as 42 or 3.5`)
  if (details.integer && !Number.isInteger(number)) throw new Problem('invalid_type', `${number} is not a whole number; send an integer`)
  if (details.min !== undefined && number < details.min) throw new Problem('too_small', `${number} is less than the minimum ${details.min}`)
  if (details.max !== undefined && number > details.max) throw new Problem('too_big', `${number} is more than the maximum ${details.max}`)
  return number
}

function emailValue(value: unknown): string {
  const text = asString(value, 'send an address such as name@example.com')
  if (text.length > 254 || !EMAIL.test(text)) throw new Problem('invalid_format', `'${text}' is not an e-mail address; send one such as name@example.com`)
  return text
}

function phoneValue(value: unknown): string {
  const text = asString(value, 'send a number such as 010-1234-5678 or +82 10 1234 5678')
  const digits = text.replace(/\D/g, '').length
  if (!PHONE.test(text) || digits < 7 || digits > 15) throw new Problem('invalid_format', `'${text}' is not a phone number; send 7-15 digits, optionally with +, spaces, dashes or parentheses (e.g. 010-1234-5678)`)
  return text
}

function optionValue(value: unknown, options: ChoiceDetails['options']): string {
  const text = asString(value, 'send one option value')
  if (!options.some((o) => o.value === text)) throw new Problem('unknown_option', `'${text}' is not an option; use one of ${options.map((o) => o.value).join(', ')}`)
  return text
}

function optionValues(value: unknown, details: Partial<ChoiceDetails>): string[] {
  const options = details.options ?? []
  if (!Array.isArray(value)) throw new Problem('invalid_type', `expected a list of option values, got ${describe(value)}; send e.g. ["${options[0]?.value ?? 'value'}"]`)
  const chosen = new Set<string>()
  const unknown: string[] = []
  for (const item of value) {
    if (typeof item !== 'string') throw new Problem('invalid_type', `the list holds ${describe(item)}; send option values as strings`)
    if (options.some((o) => o.value === item)) chosen.add(item)
    else unknown.push(item)
  }
  if (unknown.length) throw new Problem('unknown_option', `${unknown.map((u) => `'${u}'`).join(', ')} ${unknown.length === 1 ? 'is not an option' : 'are not options'}; use values from ${options.map((o) => o.value).join(', ')}`)
  if (details.minSelected !== undefined && chosen.size < details.minSelected) throw new Problem('too_small', `${chosen.size} chosen; choose at least ${details.minSelected}`)
  if (details.maxSelected !== undefined && chosen.size > details.maxSelected) throw new Problem('too_big', `${chosen.size} chosen; choose at most ${details.maxSelected}`)
  return options.map((o) => o.value).filter((v) => chosen.has(v))
}

/** The two ends of a range value, in any accepted form. */
function rangeEnds(value: unknown, example: string): [unknown, unknown] {
  if (typeof value === 'string') {
    const ends = splitRange(value)
    if (ends) return ends
  } else if (Array.isArray(value) && value.length === 2) {
    return [value[0], value[1]]
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { from, to, ...rest } = value as Record<string, unknown>
    if (from !== undefined && to !== undefined && Object.keys(rest).length === 0) return [from, to]
  }
  throw new Problem('invalid_format', `is a range; send "${example} ~ ${example}", { "from": ..., "to": ... } or [from, to]`)
}

function withinBounds(normalized: string, comparable: number | string, details: DateDetails, toComparable: (bound: string) => number | string): void {
  if (details.min !== undefined && comparable < toComparable(details.min)) throw new Problem('too_small', `${normalized} is before the earliest allowed, ${details.min}`)
  if (details.max !== undefined && comparable > toComparable(details.max)) throw new Problem('too_big', `${normalized} is after the latest allowed, ${details.max}`)
}

function dateValue(value: unknown, details: DateDetails): string {
  const text = asString(value, 'send a date as YYYY-MM-DD')
  const date = parseDate(text)
  if (!date) throw new Problem('invalid_format', `'${text}' is not a date; send YYYY-MM-DD, e.g. 2024-05-01`)
  withinBounds(date, date, details, (bound) => bound)
  return date
}

function dateTimeValue(value: unknown, details: DateDetails, timeZone: string): string {
  const text = asString(value, 'send a date-time such as 2024-05-01 14:30 or 2024-05-01T14:30:00+09:00')
  const instant = parseDateTime(text, timeZone)
  if (!instant) throw new Problem('invalid_format', `'${text}' is not a date-time; send YYYY-MM-DD HH:mm (in the service's time zone) or ISO 8601 such as 2024-05-01T14:30:00+09:00`)
  withinBounds(instant.toISOString(), instant.getTime(), details, (bound) => parseDateTime(bound, 'UTC')!.getTime())
  return instant.toISOString()
}

function rangeValue(value: unknown, one: (end: unknown) => string, example: string): { from: string; to: string } {
  const [from, to] = rangeEnds(value, example).map(one) as [string, string]
  if (from > to) throw new Problem('invalid_format', `the range starts (${from}) after it ends (${to}); put the earlier end first`)
  return { from, to }
}

/** One present value, normalized, or a Problem. */
function normalize(field: FieldDefinition, value: unknown, options: FieldValueOptions): FieldValue {
  const type = field.type
  switch (type) {
    case 'text':
      return textValue(value, field.details as TextDetails, false)
    case 'textarea':
      return textValue(value, field.details as TextDetails, true)
    case 'number':
      return numberValue(value, field.details as NumberDetails)
    case 'email':
      return emailValue(value)
    case 'phone':
      return phoneValue(value)
    case 'checkbox': {
      const details = field.details as Partial<ChoiceDetails>
      if (details.options?.length) return optionValues(value, details)
      if (typeof value !== 'boolean') throw new Problem('invalid_type', `expected true or false, got ${describe(value)}`)
      return value
    }
    case 'radio':
      return optionValue(value, (field.details as ChoiceDetails).options)
    case 'dropdown': {
      if (field.optionSource === 'intake-categories') {
        const id = asString(value, 'send an intake category id')
        if (!isUuid(id) || (options.intakeCategoryIds && !options.intakeCategoryIds.has(id))) throw new Problem('unknown_option', `'${id}' is not an intake category customers can choose; send the id of an active intake category`)
        return id
      }
      return optionValue(value, (field.details as ChoiceDetails).options)
    }
    case 'multi-select':
      return optionValues(value, field.details as ChoiceDetails)
    case 'date': {
      const details = field.details as DateDetails
      return details.range ? rangeValue(value, (end) => dateValue(end, details), 'YYYY-MM-DD') : dateValue(value, details)
    }
    case 'datetime': {
      const details = field.details as DateDetails
      return details.range ? rangeValue(value, (end) => dateTimeValue(end, details, options.timeZone), 'YYYY-MM-DD HH:mm') : dateTimeValue(value, details, options.timeZone)
    }
    default: {
      const unreachable: never = type
      throw new Problem('invalid_type', `unknown field type ${String(unreachable)}`)
    }
  }
}

/**
 * Validates `values` (by field code) against `definitions`.
 *
 * @example
 * const form = await intakeFormFields(tx, service, categoryId, { includePhoneFields: false })
 * const result = validateFieldValues(form.map((f) => f.field), body.fields, { timeZone: service.timezone })
 * if (!result.ok) throw errors.invalid(result.issues)
 * // result.values: { title: 'Refund', privacy_consent: true, order_date: '2024-05-01' }
 */
export function validateFieldValues(definitions: readonly FieldDefinition[], values: Readonly<Record<string, unknown>>, options: FieldValueOptions): FieldValidation {
  const pathOf = options.pathOf ?? ((code: string) => `body.fields.${code}`)
  const byCode = new Map(definitions.map((d) => [d.code, d]))
  const issues: FieldIssue[] = []
  const normalized: Record<string, FieldValue> = {}
  for (const code of Object.keys(values)) {
    if (!byCode.has(code)) issues.push({ path: pathOf(code), message: `there is no field '${code}' on this form; remove it or use one of ${[...byCode.keys()].join(', ')}`, code: 'unknown_field' })
  }
  for (const field of definitions) {
    const value = values[field.code]
    const yesNoBox = field.type === 'checkbox' && !(field.details as Partial<ChoiceDetails>).options?.length
    const missing = isEmpty(value) || (yesNoBox && value === false && field.required)
    if (missing) {
      if (field.required) issues.push({ path: pathOf(field.code), message: yesNoBox ? checkedMessage(field.code) : `'${field.code}' is required; send a value`, code: 'required' })
      continue
    }
    try {
      normalized[field.code] = normalize(field, value, options)
    } catch (problem) {
      if (!(problem instanceof Problem)) throw problem
      issues.push({ path: pathOf(field.code), message: `'${field.code}' ${problem.message}`, code: problem.code })
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, values: normalized }
}
