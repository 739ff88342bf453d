/**
 * What a field definition is (T5), as the rest of the plugin and the ticket work use it:
 * types, audiences, system sets and the details each type carries.
 */
import type { LocalizedText } from '../shared/localized.ts'

export const FIELD_TYPES = ['text', 'textarea', 'number', 'email', 'phone', 'checkbox', 'radio', 'dropdown', 'multi-select', 'date', 'datetime'] as const
export type FieldType = (typeof FIELD_TYPES)[number]

/** Customer fields are filled in the inquiry form (per intake category); agent fields while handling a ticket. */
export type FieldAudience = 'customer' | 'agent'

/** The system sets the guide lists: the help center's inquiry form, and calls (phone CTI). */
export type SystemFieldSet = 'helpcenter' | 'phone'

/** Agent fields are shown to administrators only, or to every agent. */
export type AgentFieldVisibility = 'admins' | 'agents'

/** Where a field's choices come from when they are not its own options. */
export type OptionSource = 'intake-categories'

export interface FieldOption {
  /** Stored in tickets and sent by API clients; fixed once tickets use it. */
  readonly value: string
  readonly names: LocalizedText
}

export interface TextDetails {
  readonly minLength?: number
  readonly maxLength?: number
  /** A JavaScript regular expression (Unicode mode) the whole value must match. */
  readonly pattern?: string
}
export interface NumberDetails {
  readonly min?: number
  readonly max?: number
  readonly integer?: boolean
}
export interface ChoiceDetails {
  readonly options: readonly FieldOption[]
  readonly minSelected?: number
  readonly maxSelected?: number
}
export interface DateDetails {
  /** Earliest and latest allowed: `YYYY-MM-DD` for date fields, an ISO date-time with offset for datetime fields. */
  readonly min?: string
  readonly max?: string
  /** The value is a range `from ~ to` instead of one date. */
  readonly range?: boolean
}

/** The details of each type; a checkbox without options is a single yes/no box (e.g. consent). */
export interface DetailsByType {
  text: TextDetails
  textarea: Omit<TextDetails, 'pattern'>
  number: NumberDetails
  email: Record<string, never>
  phone: Record<string, never>
  checkbox: Partial<ChoiceDetails>
  radio: Pick<ChoiceDetails, 'options'>
  dropdown: Pick<ChoiceDetails, 'options'>
  'multi-select': ChoiceDetails
  date: DateDetails
  datetime: DateDetails
}

export type FieldDetails = DetailsByType[FieldType]

export interface FieldDefinition {
  readonly id: string
  /** Unique in the service and never used again, even after the field is deleted. */
  readonly code: string
  readonly audience: FieldAudience
  readonly type: FieldType
  /** The system set the field belongs to; null for fields an administrator defined. */
  readonly system: SystemFieldSet | null
  readonly optionSource: OptionSource | null
  readonly names: LocalizedText
  readonly descriptions: LocalizedText
  readonly placeholders: LocalizedText
  readonly required: boolean
  /** Personal information: values are encrypted at rest and cannot be searched. */
  readonly personalInfo: boolean
  /** Agent fields only. */
  readonly visibility: AgentFieldVisibility | null
  /** Shaped by `type` (see {@link DetailsByType}); stored as JSON. */
  readonly details: FieldDetails
  /** Agent fields only: 1-based place in the agent form. */
  readonly position: number | null
  readonly createdAt: string
  readonly updatedAt: string
}
