/**
 * The system fields the guide lists, with fixed codes: the help center's inquiry form (intake
 * type, e-mail, title, content, privacy consent) and calls (call time, IN/OUT, reservation,
 * reservation time, reservation number). Every service gets them on first use; administrators
 * may rename them and change some flags, never their code, type or details, and never delete them.
 */
import type { DetailsByType, FieldType, OptionSource, SystemFieldSet } from './types.ts'

export interface SystemFieldSpec<T extends FieldType = FieldType> {
  readonly code: string
  readonly set: SystemFieldSet
  readonly type: T
  readonly details: DetailsByType[T]
  readonly optionSource?: OptionSource
  /** Default names per language; a service gets the ones in its languages (falling back to English, then Korean). */
  readonly names: Readonly<Record<string, string>>
  readonly required: boolean
  /** Required by the system (the guide: title, intake type, content, privacy consent): `required: false` is refused. */
  readonly requiredLocked: boolean
}

const spec = <T extends FieldType>(s: SystemFieldSpec<T>): SystemFieldSpec => s as SystemFieldSpec

export const SYSTEM_FIELDS: readonly SystemFieldSpec[] = [
  spec({ code: 'intake_type', set: 'helpcenter', type: 'dropdown', details: { options: [] }, optionSource: 'intake-categories', names: { ko: '접수유형', en: 'Inquiry type' }, required: true, requiredLocked: true }),
  spec({ code: 'email', set: 'helpcenter', type: 'email', details: {}, names: { ko: '이메일', en: 'E-mail' }, required: true, requiredLocked: false }),
  spec({ code: 'title', set: 'helpcenter', type: 'text', details: { maxLength: 255 }, names: { ko: '제목', en: 'Title' }, required: true, requiredLocked: true }),
  spec({ code: 'content', set: 'helpcenter', type: 'textarea', details: { maxLength: 20000 }, names: { ko: '문의내용', en: 'Inquiry' }, required: true, requiredLocked: true }),
  spec({ code: 'privacy_consent', set: 'helpcenter', type: 'checkbox', details: {}, names: { ko: '개인정보수집 동의', en: 'Consent to the collection of personal information' }, required: true, requiredLocked: true }),
  spec({ code: 'call_time', set: 'phone', type: 'datetime', details: {}, names: { ko: '상담일시', en: 'Call time' }, required: false, requiredLocked: false }),
  spec({
    code: 'call_direction',
    set: 'phone',
    type: 'radio',
    details: { options: [{ value: 'in', names: { ko: 'IN', en: 'IN' } }, { value: 'out', names: { ko: 'OUT', en: 'OUT' } }] },
    names: { ko: 'IN/OUT', en: 'IN/OUT' },
    required: false,
    requiredLocked: false,
  }),
  spec({ code: 'reservation', set: 'phone', type: 'checkbox', details: {}, names: { ko: '전화예약', en: 'Call reservation' }, required: false, requiredLocked: false }),
  spec({ code: 'reservation_time', set: 'phone', type: 'datetime', details: {}, names: { ko: '예약시간', en: 'Reservation time' }, required: false, requiredLocked: false }),
  spec({ code: 'reservation_number', set: 'phone', type: 'phone', details: {}, names: { ko: '전화예약번호', en: 'Reservation number' }, required: false, requiredLocked: false }),
]

/**
 * System fields whose values the ticket itself is made of, so they stay plain whatever the
 * guide's personal-info flag would say; the reason goes into the refusal. Personal data a form
 * asks for belongs in a personal-info field of its own. (The requester's e-mail address can be
 * sealed: see tickets/requester-email.ts.)
 */
export const NEVER_SEALED: ReadonlyMap<string, string> = new Map([
  ['intake_type', 'it is the ticket\'s intake category, which tickets are filed, listed and routed by'],
  ['title', 'the title is listed, searched in full text and used as the mail subject; ask for personal data in a personal-info field of its own'],
  ['content', 'the content is searched in full text and read by triggers; ask for personal data in a personal-info field of its own'],
  ['privacy_consent', 'it records a yes or no, not personal data'],
])

export const SYSTEM_FIELD_BY_CODE: ReadonlyMap<string, SystemFieldSpec> = new Map(SYSTEM_FIELDS.map((f) => [f.code, f]))

/** The help-center system fields are part of every intake category's form, in this order unless placed otherwise. */
export const HELPCENTER_FIELD_CODES: readonly string[] = SYSTEM_FIELDS.filter((f) => f.set === 'helpcenter').map((f) => f.code)

/** The spec's names for the service's languages: each from the spec, else English, else Korean. */
export function systemFieldNames(spec: SystemFieldSpec, languages: readonly string[]): Record<string, string> {
  return Object.fromEntries(languages.map((l) => [l, spec.names[l] ?? spec.names.en ?? spec.names.ko!]))
}
