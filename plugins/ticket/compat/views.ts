/** Our rows in the compat OPEN API's shapes (C16): tickets, conversation entries, attachments, categories and fields. */
import type { Service } from '../../../core/mod.ts'
import { textIn } from '../shared/localized.ts'
import type { CategoryNode } from '../categories/tree.ts'
import type { ChoiceDetails, DateDetails, FieldDefinition, TextDetails } from '../fields/types.ts'
import { compatFieldType, compatSource, compatStatus, wallClockText } from './mapping.ts'
import type { CompatAttachmentRow, CompatCategories, CompatTicketRow } from './queries.ts'

const millis = (value: Date | string) => new Date(value).getTime()

export function compatCategoryView(node: CategoryNode, categories: CompatCategories, language: string, defaultLanguage: string) {
  const ancestors = node.pathIds.slice(0, -1).map((id) => categories.compatIdOf.get(id)!)
  return {
    categoryId: categories.compatIdOf.get(node.id)!,
    parent: node.parentId ? categories.compatIdOf.get(node.parentId)! : 0,
    name: textIn(node.names, language, defaultLanguage),
    level: node.level,
    path: `\\${ancestors.map((id) => `${id}\\`).join('')}`,
    orderNo: node.orderNo,
    languages: node.names,
  }
}

export function compatFieldView(field: FieldDefinition, fieldId: number, language: string, defaultLanguage: string) {
  const text = (value: Record<string, string>) => (Object.keys(value).length ? textIn(value, language, defaultLanguage) : null)
  const options = (field.details as Partial<ChoiceDetails>).options ?? []
  return {
    fieldId,
    code: field.code,
    type: compatFieldType(field),
    title: textIn(field.names, language, defaultLanguage),
    description: text(field.descriptions),
    placeholder: text(field.placeholders),
    length: (field.details as TextDetails).maxLength ?? null,
    required: field.required,
    encrypt: field.personalInfo,
    holdingText: null,
    options: options.map((o) => ({ value: o.value, text: textIn(o.names, language, defaultLanguage) })),
    value: null,
    range: Boolean((field.details as DateDetails).range),
  }
}

export function compatAttachmentView(a: CompatAttachmentRow) {
  return { attachmentId: a.id, fileName: a.file_name, contentType: a.content_type, disposition: 'attachment' as const, size: a.size, createdDt: millis(a.created_at) }
}

export function compatTicketView(row: CompatTicketRow, categories: CompatCategories, service: Pick<Service, 'defaultLanguage'>) {
  const node = row.intake_category_id ? categories.tree.get(row.intake_category_id) : undefined
  const language = row.language ?? service.defaultLanguage
  const names = node ? node.pathIds.map((id) => textIn(categories.tree.get(id)!.names, language, service.defaultLanguage)) : []
  return {
    ticketId: row.public_id,
    subject: row.title,
    categoryId: node ? categories.compatIdOf.get(node.id)! : null,
    categoryName: names.length ? names[names.length - 1]! : null,
    categoryFullName: names.length ? names.join(' > ') : null,
    status: compatStatus(row.status),
    source: compatSource(row.channel, row.compat_source),
    language: row.language,
    endUser: { usercode: row.requester_usercode, email: row.requester_email, username: row.requester_name },
    createdDt: millis(row.created_at),
    updatedDt: millis(row.updated_at),
  }
}

const TYPE_NAMES: Record<string, { enduser: string; reply: string }> = { ko: { enduser: '고객 문의', reply: '상담원 답변' }, ja: { enduser: 'お客様のお問い合わせ', reply: '担当者の回答' } }

export function compatEntryView(entry: { kind: string; body: string; createdAt: string; attachments: CompatAttachmentRow[] }, language: string, timeZone: string) {
  const type = entry.kind === 'agent-reply' ? ('reply' as const) : ('enduser' as const)
  const names = TYPE_NAMES[language] ?? { enduser: 'Customer inquiry', reply: 'Agent reply' }
  return { content: entry.body, type, typeName: names[type], createdDt: millis(entry.createdAt), displayDt: wallClockText(entry.createdAt, timeZone), attachments: entry.attachments.map(compatAttachmentView) }
}
