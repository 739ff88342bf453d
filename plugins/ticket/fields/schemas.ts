/**
 * Wire schemas of field definitions: the details each type accepts (checked to be consistent:
 * min ≤ max, patterns that compile and are safe, option values unique), the create body (one
 * variant per type, so each type's details are documented and validated on their own), the
 * edit body and the read model.
 */
import { z } from '../../../core/mod.ts'
import { localizedText } from '../shared/localized.ts'
import { parseDate, parseDateTime } from './dates.ts'
import { checkFieldPattern } from './pattern-safety.ts'
import { FIELD_TYPES, type FieldType } from './types.ts'

/** Field codes: lowercase, start with a letter; they name the field in API calls and ticket data. */
export const FIELD_CODE_PATTERN = /^[a-z][a-z0-9_]{1,49}$/

const code = z
  .string()
  .regex(FIELD_CODE_PATTERN, 'use 2-50 lowercase letters, digits and underscores, starting with a letter (e.g. order_number)')
  .openapi({ description: 'Unique in the service and never reusable, even after the field is deleted', example: 'order_number' })

const count = z.number().int().min(0)
const ordered = (min: string, max: string, what: string) => (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
  const low = value[min]
  const high = value[max]
  if (low !== undefined && high !== undefined && (low as number | string) > (high as number | string)) {
    ctx.addIssue({ code: 'custom', path: [min], message: `${min} is greater than ${max}; the ${what} must not be empty` })
  }
}

const OptionSchema = z
  .strictObject({
    value: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/, 'use 1-50 letters, digits, dots, dashes and underscores, starting with a letter or digit').openapi({ description: 'What tickets store and API clients send', example: 'card' }),
    names: localizedText(200).openapi({ description: 'Display name per help-center language (the same name as categories and fields use)', example: { ko: '카드' } }),
  })
  .openapi('TicketFieldOption')

const options = (min: number) =>
  z
    .array(OptionSchema)
    .min(min, `give at least ${min} option${min === 1 ? '' : 's'}`)
    .max(200)
    .superRefine((list, ctx) => {
      const seen = new Set<string>()
      list.forEach((option, index) => {
        if (seen.has(option.value)) ctx.addIssue({ code: 'custom', path: [index, 'value'], message: `option value '${option.value}' appears twice; option values must be unique` })
        seen.add(option.value)
      })
    })

const pattern = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const check = checkFieldPattern(value)
    if (!check.ok) ctx.addIssue({ code: 'custom', message: `the pattern ${check.reason}` })
  })
  .openapi({ description: 'A JavaScript regular expression (Unicode mode) the whole value must match', example: '^[A-Z]{2}[0-9]{6}$' })

const isoDate = z.string().refine((v) => parseDate(v) !== null, 'write a date as YYYY-MM-DD')
const isoDateTime = z.string().refine((v) => /(Z|[+-]\d{2}:?\d{2})$/i.test(v) && parseDateTime(v, 'UTC') !== null, 'write an ISO 8601 date-time with an offset, e.g. 2024-05-01T09:00:00+09:00')

const TextDetails = z.strictObject({ minLength: count.optional(), maxLength: z.number().int().min(1).max(1000).optional(), pattern: pattern.optional() }).superRefine(ordered('minLength', 'maxLength', 'length range'))
const TextareaDetails = z.strictObject({ minLength: count.optional(), maxLength: z.number().int().min(1).max(100_000).optional() }).superRefine(ordered('minLength', 'maxLength', 'length range'))
const NumberDetails = z.strictObject({ min: z.number().optional(), max: z.number().optional(), integer: z.boolean().optional() }).superRefine(ordered('min', 'max', 'value range'))
const Nothing = z.strictObject({})
const CheckboxDetails = z.strictObject({ options: options(1).optional().openapi({ description: 'Without options the checkbox is one yes/no box (e.g. a consent)' }) })
const SingleChoiceDetails = z.strictObject({ options: options(1) })
const MultiSelectDetails = z
  .strictObject({ options: options(1), minSelected: count.optional(), maxSelected: z.number().int().min(1).optional() })
  .superRefine(ordered('minSelected', 'maxSelected', 'selection range'))
const DateDetails = z.strictObject({ min: isoDate.optional(), max: isoDate.optional(), range: z.boolean().optional() }).superRefine(ordered('min', 'max', 'date range'))
const DateTimeDetails = z
  .strictObject({ min: isoDateTime.optional(), max: isoDateTime.optional(), range: z.boolean().optional() })
  .superRefine((value, ctx) => {
    if (value.min && value.max && parseDateTime(value.min, 'UTC')! > parseDateTime(value.max, 'UTC')!) ctx.addIssue({ code: 'custom', path: ['min'], message: 'min is later than max; the date-time range must not be empty' })
  })

/** The details schema of each type; radio, dropdown and multi-select need their options. */
export const FIELD_DETAILS = {
  text: TextDetails,
  textarea: TextareaDetails,
  number: NumberDetails,
  email: Nothing,
  phone: Nothing,
  checkbox: CheckboxDetails,
  radio: SingleChoiceDetails,
  dropdown: SingleChoiceDetails,
  'multi-select': MultiSelectDetails,
  date: DateDetails,
  datetime: DateTimeDetails,
} as const satisfies Record<FieldType, z.ZodType>

/** Whether a type's details may be left out on create (its schema accepts `{}`). */
export const detailsOptional = (type: FieldType) => FIELD_DETAILS[type].safeParse({}).success

const texts = {
  names: localizedText(100).openapi({ description: "Name per help-center language; the default language's name is required", example: { ko: '주문번호' } }),
  descriptions: localizedText(500).openapi({ description: 'Help text per language' }),
  placeholders: localizedText(200).openapi({ description: 'Placeholder per language' }),
}

const common = {
  audience: z.enum(['customer', 'agent']).openapi({ description: 'customer: filled in the inquiry form of the intake categories it is attached to; agent: filled by agents on the ticket' }),
  code,
  names: texts.names,
  descriptions: texts.descriptions.optional(),
  placeholders: texts.placeholders.optional(),
  required: z.boolean().optional().openapi({ description: 'Default false' }),
  personalInfo: z.boolean().optional().openapi({ description: 'Encrypt values at rest; they are then searchable by exact value only (blind index). Default false' }),
  visibility: z.enum(['admins', 'agents']).optional().openapi({ description: "Agent fields only: 'admins' shows it to administrators only. Default 'agents'" }),
}

const variant = <T extends FieldType>(type: T) => {
  const details = FIELD_DETAILS[type] as (typeof FIELD_DETAILS)[T]
  return z.strictObject({ ...common, type: z.literal(type), details: detailsOptional(type) ? details.optional() : details })
}

export const FieldCreate = z
  .discriminatedUnion('type', [
    variant('text'),
    variant('textarea'),
    variant('number'),
    variant('email'),
    variant('phone'),
    variant('checkbox'),
    variant('radio'),
    variant('dropdown'),
    variant('multi-select'),
    variant('date'),
    variant('datetime'),
  ])
  .openapi('TicketFieldCreate', { example: { audience: 'customer', code: 'order_number', type: 'text', names: { ko: '주문번호' }, details: { maxLength: 20 } } })
export type FieldCreate = z.infer<typeof FieldCreate>

export const FieldPatch = z
  .strictObject({
    names: texts.names.optional(),
    descriptions: texts.descriptions.optional().openapi({ description: 'Replaces all help texts' }),
    placeholders: texts.placeholders.optional().openapi({ description: 'Replaces all placeholders' }),
    required: z.boolean().optional(),
    personalInfo: z.boolean().optional().openapi({
      description:
        "Encrypt values at rest (searchable by exact value through a blind index). Values tickets already hold are sealed, or opened again, by a background job. On the system field 'email' it seals the requester's address; refused on intake_type, title, content and privacy_consent",
    }),
    visibility: z.enum(['admins', 'agents']).optional(),
    details: z.record(z.string(), z.unknown()).optional().openapi({ description: "Replaces the details; shaped by the field's type (see TicketFieldCreate). Not for system fields" }),
  })
  .openapi('TicketFieldPatch')

export const FieldSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    audience: z.enum(['customer', 'agent']),
    type: z.enum(FIELD_TYPES),
    system: z.enum(['helpcenter', 'phone']).nullable().openapi({ description: 'The system set of a system field; null for defined fields' }),
    optionSource: z.enum(['intake-categories']).nullable().openapi({ description: 'Where the choices come from when not from options (the intake type field)' }),
    names: z.record(z.string(), z.string()),
    descriptions: z.record(z.string(), z.string()),
    placeholders: z.record(z.string(), z.string()),
    required: z.boolean(),
    requiredLocked: z.boolean().openapi({ description: 'Required by the system: cannot be made optional' }),
    personalInfo: z.boolean(),
    visibility: z.enum(['admins', 'agents']).nullable(),
    details: z.record(z.string(), z.unknown()),
    position: z.number().int().nullable().openapi({ description: 'Agent fields: 1-based place in the agent form' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('TicketField')
export type FieldView = z.infer<typeof FieldSchema>

export const FieldList = z.object({ fields: z.array(FieldSchema) }).openapi('TicketFieldList')
