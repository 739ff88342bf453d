/**
 * The inquiry form (W1, inquiries): the presenter of its page, out of the ticket plugin's
 * inquiry form (the intake categories a customer may pick, then the picked one's customer
 * fields in their order), and the reading of a sent form into the tickets service's input.
 * Ticket creation validates the values against the same form; its refusals come back here as
 * issues and are shown beside the inputs they name, with what was typed kept.
 *
 * Inputs are named `f_<field code>`; the requester's name is `name`, the privacy consent (a
 * system field the page shows on its own) `consent`, the files `attachments`. The intake type
 * is the picked category itself.
 */
import type { FieldIssue, TenantTx } from '../../../core/mod.ts'
import { ticketsRef, type InquiryForm, type InquiryFormField, type NewTicketInput, type TicketsCaller } from '../../ticket/api.ts'
import { nameIn } from '../content/public-read.ts'
import type { PageData } from '../render/page-types.ts'
import type { PageRequest } from './request.ts'
import type { Presenter } from './presenters.ts'

type PageField = PageData<'inquiry_form'>['fields'][number]

/** What a visitor sent: every text value by input name, and the refusals to show. */
export interface Submitted {
  readonly values: Readonly<Record<string, readonly string[]>>
  readonly issues: readonly FieldIssue[]
}

export const MAX_ATTACHMENTS = 5
const CONSENT = 'privacy_consent'
// Shown by the page itself (the category picker, the consent box), never as inputs of the list.
const NOT_LISTED = new Set(['intake_type', CONSENT])

export const inputName = (code: string) => `f_${code}`

/** The tickets service's caller for this visitor. */
export function visitorCaller(req: PageRequest): TicketsCaller {
  const label = req.visitor.kind === 'member' ? (req.visitor.member.name ?? req.visitor.member.usercode) : 'help-center visitor'
  return { service: req.service, actor: { kind: 'customer', label } }
}

export const inquiryFormOf = (req: PageRequest, tx: TenantTx, categoryId: string | null) => req.ctx.use(ticketsRef).inquiryForm(tx, visitorCaller(req), categoryId)

const PAGE_TYPES: Record<InquiryFormField['type'], PageField['type']> = {
  text: 'text',
  textarea: 'textarea',
  number: 'number',
  email: 'email',
  phone: 'tel',
  checkbox: 'checkbox',
  radio: 'radio',
  dropdown: 'select',
  'multi-select': 'checkbox',
  date: 'date',
  datetime: 'text',
}

/** The input name an issue of the tickets service is about, or null for the form as a whole. */
function inputOfIssue(path: string): string | null {
  if (path === 'body.title') return inputName('title')
  if (path === 'body.content') return inputName('content')
  if (path === 'body.requester.email') return inputName('email')
  if (path === 'body.requester.name') return 'name'
  if (path === `body.fields.${CONSENT}`) return 'consent'
  const field = /^body\.fields\.([^.]+)/.exec(path)
  return field ? inputName(field[1]!) : null
}

function options(field: InquiryFormField, language: string, req: PageRequest) {
  const own = 'options' in field.details ? (field.details.options ?? []) : []
  if (field.type === 'checkbox' && !own.length) return [{ value: 'yes', label: nameIn(field.names, language, req.service) }]
  return own.map((o) => ({ value: o.value, label: nameIn(o.names, language, req.service) }))
}

function pageField(req: PageRequest, field: InquiryFormField, submitted: Submitted | undefined, errors: Map<string, string>, prefill?: string): PageField {
  const name = inputName(field.code)
  const sent = submitted?.values[name]
  const choices = options(field, req.language, req)
  const label = nameIn(field.names, req.language, req.service)
  const help = nameIn(field.descriptions, req.language, req.service) || (field.type === 'datetime' ? 'YYYY-MM-DDTHH:MM' : '')
  return {
    name,
    label,
    type: PAGE_TYPES[field.type],
    required: field.required,
    value: sent?.[0] ?? prefill ?? '',
    options: choices.map((o) => ({ ...o, selected: !!sent?.includes(o.value) })),
    help: help || null,
    error: errors.get(name)?.replaceAll(`'${field.code}'`, label) ?? null,
  }
}

export const presentInquiryForm = (categoryId: string | null, submitted?: Submitted): Presenter<'inquiry_form'> => async (req, shared) => {
  const form = await inquiryFormOf(req, req.tx, categoryId)
  const errors = new Map<string, string>()
  const general: string[] = []
  for (const issue of submitted?.issues ?? []) {
    const input = inputOfIssue(issue.path)
    if (input && !errors.has(input)) errors.set(input, issue.message)
    else if (!input) general.push(issue.message)
  }
  const member = req.visitor.kind === 'member' ? req.visitor.member : null
  const listed = form.fields.filter((f) => !NOT_LISTED.has(f.code) && (member || f.code !== 'email'))
  const email = form.fields.find((f) => f.code === 'email')
  const consent = form.fields.find((f) => f.code === CONSENT)
  const policy = req.ctx.use(ticketsRef).attachmentPolicy
  return {
    action: req.links.to('/inquiry'),
    categories: form.categories.map((c) => ({ id: c.id, name: `${'— '.repeat(c.level - 1)}${nameIn(c.names, req.language, req.service)}`, selected: c.id === form.intakeCategoryId })),
    categoryUrl: `${req.links.base}/inquiry`,
    fields: listed.map((f) => pageField(req, f, submitted, errors, f.code === 'email' ? member?.email : undefined)),
    requester: member
      ? null
      : {
          name: { name: 'name', label: shared.strings.hc_inquiry_name ?? 'Name', type: 'text', required: false, value: submitted?.values.name?.[0] ?? '', options: [], help: null, error: errors.get('name') ?? null },
          email: email ? pageField(req, email, submitted, errors) : { name: inputName('email'), label: 'E-mail', type: 'email', required: false, value: submitted?.values[inputName('email')]?.[0] ?? '', options: [], help: null, error: errors.get(inputName('email')) ?? null },
        },
    attachments: { allowed: true, maxFiles: MAX_ATTACHMENTS, maxBytes: policy.maxBytes, accept: '' },
    consent: { required: consent?.required ?? false, text: consent ? nameIn(consent.names, req.language, req.service) : '', checked: !!submitted?.values.consent?.includes('yes'), error: errors.get('consent') ?? null },
    errors: general,
  }
}

/** Every text value of a sent form by input name (files left out). */
export function sentValues(form: FormData): Record<string, string[]> {
  const values: Record<string, string[]> = {}
  for (const [name, value] of form.entries()) if (typeof value === 'string') (values[name] ??= []).push(value)
  return values
}

/** A field's value as the tickets service takes it, or undefined when nothing was sent. */
function fieldValue(field: InquiryFormField, sent: readonly string[] | undefined): unknown {
  const given = (sent ?? []).filter((v) => v.trim() !== '')
  if (!given.length) return undefined
  switch (field.type) {
    case 'checkbox':
      return 'options' in field.details && field.details.options?.length ? given : true
    case 'multi-select':
      return given
    case 'number':
      return Number.isFinite(Number(given[0])) ? Number(given[0]) : given[0]
    case 'text':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'radio':
    case 'dropdown':
    case 'date':
    case 'datetime':
      return given[0]
    default: {
      const unknown: never = field.type
      return unknown
    }
  }
}

/** The tickets service's input out of a sent form of `form` (its category picked). */
export function inquiryTicket(req: PageRequest, form: InquiryForm, values: Readonly<Record<string, readonly string[]>>, attachmentIds: readonly string[]): NewTicketInput {
  const text = (name: string) => values[name]?.[0]?.trim() ?? ''
  const member = req.visitor.kind === 'member' ? req.visitor.member : null
  const fields: Record<string, unknown> = {}
  for (const field of form.fields) {
    if (['intake_type', 'title', 'content', 'email'].includes(field.code)) continue
    const value = field.code === CONSENT ? (values.consent?.includes('yes') ? true : undefined) : fieldValue(field, values[inputName(field.code)])
    if (value !== undefined) fields[field.code] = value
  }
  return {
    title: text(inputName('title')),
    content: values[inputName('content')]?.[0] ?? '',
    channel: 'web',
    language: req.language,
    requester: member ? { name: member.name ?? null, email: text(inputName('email')) || member.email || null, usercode: member.usercode } : { name: text('name') || null, email: text(inputName('email')) || null },
    intakeCategoryId: form.intakeCategoryId,
    fields,
    attachmentIds,
  }
}
