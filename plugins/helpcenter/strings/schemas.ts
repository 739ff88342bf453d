/** Wire schemas of string sets and their tags. */
import { z } from '../../../core/mod.ts'

/** A string code: what a template reads as `strings.<code>`. */
export const StringCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'a code is 1 to 64 lower-case letters, digits and _, starting with a letter (a template reads it as strings.<code>)')
  .openapi({ example: 'shop_opening_hours' })

export const CodeParam = z.object({ code: StringCode.openapi({ param: { name: 'code', in: 'path' } }) })
export const TagIdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })

const Texts = z
  .record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'a language code such as ko or en'), z.string().min(1).max(2_000))
  .openapi({ description: 'Text per language code (the service\'s languages)', example: { ko: '운영 시간: 평일 9시–18시', en: 'Open weekdays 9:00–18:00' } })
const tagIds = z.array(z.uuid()).max(20).openapi({ description: 'Tags of the set (replaces them on edit)' })

export const StringSetSchema = z
  .object({
    code: z.string(),
    system: z.boolean().openapi({ description: 'A system set: its code is fixed; texts and tags are editable; reset returns the defaults' }),
    texts: z.record(z.string(), z.string()).openapi({ description: 'The texts pages show, per language (edits over defaults)' }),
    defaults: z.record(z.string(), z.string()).nullable().openapi({ description: 'A system set\'s default texts; null for a custom set' }),
    edited: z.boolean().openapi({ description: 'A system set whose texts the service changed' }),
    tagIds: z.array(z.uuid()),
    updatedAt: z.string().nullable(),
  })
  .openapi('HelpCenterStringSet')
export type StringSetView = z.infer<typeof StringSetSchema>

export const StringSetList = z.object({ sets: z.array(StringSetSchema) }).openapi('HelpCenterStringSetList')
export const StringSetQuery = z.object({
  kind: z.enum(['system', 'custom']).optional(),
  tagId: z.uuid().optional().openapi({ description: 'Only sets with this tag' }),
  q: z.string().max(200).optional().openapi({ description: 'Text in the code or any text' }),
})
export const StringSetCreate = z.strictObject({ code: StringCode, texts: Texts, tagIds: tagIds.optional() }).openapi('HelpCenterStringSetCreate')
export const StringSetPatch = z
  .strictObject({ texts: Texts.optional().openapi({ description: 'Texts to change, per language; languages left out keep theirs' }), tagIds: tagIds.optional() })
  .openapi('HelpCenterStringSetPatch')

export const TagSchema = z.object({ id: z.uuid(), name: z.string() }).openapi('HelpCenterStringTag')
export const TagList = z.object({ tags: z.array(TagSchema) }).openapi('HelpCenterStringTagList')
export const TagBody = z.strictObject({ name: z.string().trim().min(1).max(50) }).openapi('HelpCenterStringTagBody')

export const ResolvedQuery = z.object({ language: z.string().max(16).optional().openapi({ description: 'Defaults to the service\'s default language' }) })
export const ResolvedStrings = z.object({ language: z.string(), strings: z.record(z.string(), z.string()) }).openapi('HelpCenterResolvedStrings')
