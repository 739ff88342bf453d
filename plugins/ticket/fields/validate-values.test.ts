/** The field-value validator the ticket work calls: every type, required, unknown codes, normalization. */
import { describe, expect, it } from 'vitest'
import type { FieldDefinition, FieldType } from './types.ts'
import { validateFieldValues, type FieldValidation } from './validate-values.ts'
import { checkFieldPattern } from './pattern-safety.ts'
import { parseDateTime } from './dates.ts'

let ids = 0
function field(code: string, type: FieldType, details: object = {}, extra: Partial<FieldDefinition> = {}): FieldDefinition {
  return {
    id: `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    code,
    audience: 'customer',
    type,
    system: null,
    optionSource: null,
    names: { ko: code },
    descriptions: {},
    placeholders: {},
    required: false,
    personalInfo: false,
    visibility: null,
    details: details as FieldDefinition['details'],
    position: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...extra,
  }
}

const options = (...values: string[]) => ({ options: values.map((value) => ({ value, names: { ko: value } })) })
const seoul = { timeZone: 'Asia/Seoul' }
const issuesOf = (result: FieldValidation) => (result.ok ? [] : result.issues)
const one = (definition: FieldDefinition, value: unknown, options: Parameters<typeof validateFieldValues>[2] = seoul) => validateFieldValues([definition], { [definition.code]: value }, options)
const value = (definition: FieldDefinition, input: unknown) => {
  const result = one(definition, input)
  if (!result.ok) throw new Error(JSON.stringify(result.issues))
  return result.values[definition.code]
}
const problem = (definition: FieldDefinition, input: unknown) => {
  const [issue] = issuesOf(one(definition, input))
  if (!issue) throw new Error(`expected ${JSON.stringify(input)} to be refused`)
  return issue
}

describe('validateFieldValues', () => {
  it('normalizes text and checks length, lines and pattern', () => {
    const text = field('order_no', 'text', { minLength: 2, maxLength: 8, pattern: '[A-Z]{2}[0-9]{2,6}' })
    expect(value(text, '  AB1234 ')).toBe('AB1234')
    expect(problem(text, 'A')).toMatchObject({ path: 'body.fields.order_no', code: 'too_short' })
    expect(problem(text, 'AB12345678')).toMatchObject({ code: 'too_long' })
    expect(problem(text, 'ab1234')).toMatchObject({ code: 'pattern' })
    expect(problem(text, 'AB\n12')).toMatchObject({ code: 'invalid_format' })
    expect(problem(text, 1234)).toMatchObject({ code: 'invalid_type' })
    // Length counts characters, not UTF-16 units: 255 Hangul syllables or emoji fit a default text field.
    expect(value(field('plain', 'text'), '가'.repeat(255))).toHaveLength(255)
    expect(problem(field('plain', 'text'), '가'.repeat(256)).code).toBe('too_long')
    expect(value(field('note', 'textarea'), '첫 줄\n둘째 줄')).toBe('첫 줄\n둘째 줄')
  })

  it('takes numbers and numeric strings within bounds', () => {
    const quantity = field('quantity', 'number', { min: 1, max: 10, integer: true })
    expect(value(quantity, 3)).toBe(3)
    expect(value(quantity, ' 7 ')).toBe(7)
    expect(problem(quantity, 'seven').code).toBe('invalid_type')
    expect(problem(quantity, 2.5).code).toBe('invalid_type')
    expect(problem(quantity, 0).code).toBe('too_small')
    expect(problem(quantity, 11).code).toBe('too_big')
    expect(problem(quantity, [1]).code).toBe('invalid_type')
    expect(value(field('ratio', 'number'), '-1.5e2')).toBe(-150)
  })

  it('checks e-mail addresses and phone numbers', () => {
    const email = field('mail', 'email')
    expect(value(email, ' ada@example.com ')).toBe('ada@example.com')
    for (const bad of ['ada', 'ada@example', 'a b@example.com', '@example.com']) expect(problem(email, bad).code).toBe('invalid_format')
    const phone = field('tel', 'phone')
    for (const good of ['010-1234-5678', '+82 10 1234 5678', '02)123-4567', '1588-1234']) expect(value(phone, good)).toBe(good)
    for (const bad of ['12345', 'call me', '010-1234-5678-1234-5678', '+-']) expect(problem(phone, bad).code).toBe('invalid_format')
  })

  it('takes option values for radio, dropdown, checkbox lists and multi-select', () => {
    const radio = field('gender', 'radio', options('f', 'm'))
    expect(value(radio, 'f')).toBe('f')
    expect(problem(radio, 'x')).toMatchObject({ code: 'unknown_option' })
    expect(problem(radio, 'x').message).toContain('use one of f, m')
    const dropdown = field('payment', 'dropdown', options('card', 'bank'))
    expect(value(dropdown, 'bank')).toBe('bank')
    expect(problem(dropdown, ['bank']).code).toBe('invalid_type')
    const topics = field('topics', 'checkbox', options('a', 'b', 'c'))
    expect(value(topics, ['c', 'a', 'c'])).toEqual(['a', 'c'])
    expect(problem(topics, true).code).toBe('invalid_type')
    expect(problem(topics, ['a', 'z', 'y']).message).toContain("'z', 'y' are not options")
    const multi = field('interests', 'multi-select', { ...options('x', 'y', 'z'), minSelected: 2, maxSelected: 2 })
    expect(value(multi, ['z', 'x'])).toEqual(['x', 'z'])
    expect(problem(multi, ['x']).code).toBe('too_small')
    expect(problem(multi, ['x', 'y', 'z']).code).toBe('too_big')
    expect(problem(multi, [1]).code).toBe('invalid_type')
  })

  it('takes true or false for a yes/no checkbox; a required one must be checked', () => {
    const sms = field('agree_sms', 'checkbox')
    expect(value(sms, false)).toBe(false)
    expect(value(sms, true)).toBe(true)
    expect(problem(sms, 'yes').code).toBe('invalid_type')
    const consent = field('privacy_consent', 'checkbox', {}, { required: true })
    expect(problem(consent, false)).toMatchObject({ code: 'required', message: expect.stringContaining('send "privacy_consent": true in fields') })
    expect(value(consent, true)).toBe(true)
  })

  it('takes dates as YYYY-MM-DD within bounds, and ranges in every documented form', () => {
    const date = field('visit', 'date', { min: '2024-01-01', max: '2024-12-31' })
    expect(value(date, '2024-02-29')).toBe('2024-02-29')
    expect(problem(date, '2023-02-29').code).toBe('invalid_format')
    expect(problem(date, '2024/03/01').code).toBe('invalid_format')
    expect(problem(date, '2023-12-31').code).toBe('too_small')
    expect(problem(date, '2025-01-01').code).toBe('too_big')
    const range = field('stay', 'date', { range: true })
    expect(value(range, '2024-05-01 ~ 2024-05-03')).toEqual({ from: '2024-05-01', to: '2024-05-03' })
    expect(value(range, { from: '2024-05-01', to: '2024-05-01' })).toEqual({ from: '2024-05-01', to: '2024-05-01' })
    expect(value(range, ['2024-05-01', '2024-06-01'])).toEqual({ from: '2024-05-01', to: '2024-06-01' })
    expect(problem(range, '2024-05-03 ~ 2024-05-01').message).toContain('starts (2024-05-03) after it ends')
    expect(problem(range, '2024-05-01').code).toBe('invalid_format')
    expect(problem(range, { from: '2024-05-01', to: '2024-05-02', extra: 1 }).code).toBe('invalid_format')
  })

  it("takes date-times as ISO 8601 or wall-clock time in the service's time zone, stored as UTC", () => {
    const at = field('call_time', 'datetime')
    expect(value(at, '2024-05-01 14:30')).toBe('2024-05-01T05:30:00.000Z')
    expect(value(at, '2024-05-01T14:30')).toBe('2024-05-01T05:30:00.000Z')
    expect(value(at, '2024-05-01T14:30:15+09:00')).toBe('2024-05-01T05:30:15.000Z')
    expect(value(at, '2024-05-01T05:30:00Z')).toBe('2024-05-01T05:30:00.000Z')
    expect(validateFieldValues([at], { call_time: '2024-07-01 12:00' }, { timeZone: 'America/New_York' })).toEqual({ ok: true, values: { call_time: '2024-07-01T16:00:00.000Z' } })
    expect(validateFieldValues([at], { call_time: '2024-01-15 12:00' }, { timeZone: 'America/New_York' })).toEqual({ ok: true, values: { call_time: '2024-01-15T17:00:00.000Z' } })
    expect(problem(at, '2024-05-01 25:00').code).toBe('invalid_format')
    expect(problem(at, 'tomorrow').code).toBe('invalid_format')
    const bounded = field('slot', 'datetime', { min: '2024-05-01T09:00:00+09:00', range: true })
    expect(value(bounded, '2024-05-01 09:00 ~ 2024-05-01 18:00')).toEqual({ from: '2024-05-01T00:00:00.000Z', to: '2024-05-01T09:00:00.000Z' })
    expect(problem(bounded, '2024-05-01 08:59 ~ 2024-05-01 18:00').code).toBe('too_small')
  })

  it('checks intake-type values against the categories the caller allows', () => {
    const intakeType = field('intake_type', 'dropdown', { options: [] }, { optionSource: 'intake-categories', required: true })
    const allowed = '3f1c2b7d-9a10-4c55-9d1e-0b6f2a4e6a1b'
    expect(validateFieldValues([intakeType], { intake_type: allowed }, { ...seoul, intakeCategoryIds: new Set([allowed]) })).toEqual({ ok: true, values: { intake_type: allowed } })
    expect(issuesOf(validateFieldValues([intakeType], { intake_type: '9f1c2b7d-9a10-4c55-9d1e-0b6f2a4e6a1b' }, { ...seoul, intakeCategoryIds: new Set([allowed]) }))[0]?.code).toBe('unknown_option')
    expect(problem(intakeType, 'not-an-id').code).toBe('unknown_option')
  })

  it('reports required fields, unknown codes and every problem at once, with paths by code', () => {
    const definitions = [field('title', 'text', {}, { required: true }), field('content', 'textarea', {}, { required: true }), field('quantity', 'number'), field('memo', 'text')]
    const result = validateFieldValues(definitions, { title: '  ', quantity: 'many', colour: 'red', memo: null }, seoul)
    expect(result.ok).toBe(false)
    expect(issuesOf(result)).toEqual([
      { path: 'body.fields.colour', message: expect.stringContaining("there is no field 'colour'"), code: 'unknown_field' },
      { path: 'body.fields.title', message: "'title' is required; send a value", code: 'required' },
      { path: 'body.fields.content', message: "'content' is required; send a value", code: 'required' },
      { path: 'body.fields.quantity', message: expect.stringContaining("'many' is not a number"), code: 'invalid_type' },
    ])
    const mapped = validateFieldValues(definitions, {}, { ...seoul, pathOf: (code) => (code === 'title' ? 'body.subject' : `body.userFields.${code}`) })
    expect(issuesOf(mapped).map((i) => i.path)).toEqual(['body.subject', 'body.userFields.content'])
    // Optional fields left empty are left out of the result.
    expect(validateFieldValues(definitions, { title: 'Hi', content: 'Text', memo: '' }, seoul)).toEqual({ ok: true, values: { title: 'Hi', content: 'Text' } })
  })
})

describe('checkFieldPattern', () => {
  it('accepts ordinary patterns and refuses ones that do not compile or backtrack badly', () => {
    for (const good of ['[A-Z]{2}[0-9]{6}', '^\\d{3}-\\d{4}$', '(\\d{3}-)?\\d{4}', '[가-힣]+', '(abc){2}', 'a+b+c+']) expect(checkFieldPattern(good).ok, good).toBe(true)
    for (const slow of ['(a+)+$', '(a*)*', '(a|aa)+', '(\\w+\\s?)*$', '(.*a){12}', '(x+x+)+y']) expect(checkFieldPattern(slow).ok, slow).toBe(false)
    expect(checkFieldPattern('(a)\\1')).toMatchObject({ ok: false, reason: expect.stringContaining('backreference') })
    expect(checkFieldPattern('[a-')).toMatchObject({ ok: false, reason: expect.stringContaining('does not compile') })
    expect(checkFieldPattern('a'.repeat(201)).ok).toBe(false)
    // Quantifier characters inside a class or escaped are not quantifiers.
    expect(checkFieldPattern('([+*]\\+)+').ok).toBe(true)
  })
})

describe('parseDateTime', () => {
  it('reads wall-clock time across a daylight-saving change in the given zone', () => {
    // 2024-03-10 03:30 in New York is just after the spring-forward gap (EDT, UTC-4).
    expect(parseDateTime('2024-03-10 03:30', 'America/New_York')?.toISOString()).toBe('2024-03-10T07:30:00.000Z')
    expect(parseDateTime('2024-03-09 03:30', 'America/New_York')?.toISOString()).toBe('2024-03-09T08:30:00.000Z')
  })
})
