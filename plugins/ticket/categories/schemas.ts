/**
 * Wire schemas of both category trees. The two kinds share one shape except `active` and
 * `visible`, which only intake categories have; each kind gets its own named schemas so the
 * OpenAPI document shows exactly what each accepts (a processing category refuses `active`).
 */
import { z } from '../../../core/mod.ts'
import { localizedText } from '../shared/localized.ts'
import { CATEGORY_KINDS, type CategoryKind, MAX_CATEGORIES_PER_TREE } from './kinds.ts'

const names = localizedText(100).openapi({ description: "Name per help-center language; the default language's name is required", example: { ko: '배송 문의' } })
const position = z.number().int().min(1).openapi({ description: '1-based place among its siblings; the end when left out' })
const parentId = z.uuid().nullable().openapi({ description: 'The parent category; null for the top level' })

const CategoryBase = z.object({
  id: z.uuid().openapi({ description: 'Stable id, never reused' }),
  parentId: z.uuid().nullable(),
  level: z.number().int().min(1).max(5),
  position: z.number().int().min(1).openapi({ description: '1-based place among its siblings' }),
  names: z.record(z.string(), z.string()),
  path: z.record(z.string(), z.string()).openapi({ description: "Names from the top level down, joined with ' > ', per service language", example: { ko: '배송 문의 > 지연' } }),
  pathIds: z.array(z.uuid()).openapi({ description: 'Ids from the top level down to this category' }),
  childCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
const Switch = {
  active: z.boolean().openapi({ description: 'Whether customers may pick it in the help center' }),
  visible: z.boolean().openapi({ description: 'Active and every ancestor active: deactivating a parent hides its subtree from customers' }),
}

/** The superset type; at run time each kind's schema has only its own fields. */
const CategoryFull = CategoryBase.extend({ active: Switch.active.optional(), visible: Switch.visible.optional() })
const CreateFull = z.strictObject({ parentId: parentId.optional(), names, position: position.optional(), active: z.boolean().optional() })
const PatchFull = z.strictObject({ names: names.optional(), active: z.boolean().optional() })

export function categorySchemas(kind: CategoryKind) {
  const { schemaPrefix, switchable } = CATEGORY_KINDS[kind]
  const Category = (switchable ? CategoryBase.extend(Switch) : CategoryBase).openapi(schemaPrefix) as unknown as typeof CategoryFull
  const Create = (switchable ? CreateFull : CreateFull.omit({ active: true })).openapi(`${schemaPrefix}Create`, { example: { names: { ko: '배송 문의' } } }) as unknown as typeof CreateFull
  const Patch = (switchable ? PatchFull : PatchFull.omit({ active: true })).openapi(`${schemaPrefix}Patch`) as unknown as typeof PatchFull
  const Move = z.strictObject({ parentId, position: position.optional() }).openapi(`${schemaPrefix}Move`)
  const Order = z
    .strictObject({
      parentId,
      ids: z.array(z.uuid()).min(1).max(MAX_CATEGORIES_PER_TREE).openapi({ description: 'Every child of the parent, exactly once, in the new order' }),
    })
    .openapi(`${schemaPrefix}Order`)
  const List = z.object({ categories: z.array(Category).openapi({ description: 'Depth first: each parent before its children, siblings in order' }) }).openapi(`${schemaPrefix}List`)
  const ListQuery = switchable
    ? z.object({ visible: z.enum(['true', 'false']).optional().openapi({ description: "'true': only what customers see (active, under active parents)" }) })
    : z.object({})
  return { Category, Create, Patch, Move, Order, List, ListQuery: ListQuery as z.ZodObject<{ visible: z.ZodOptional<z.ZodEnum<{ true: 'true'; false: 'false' }>> }> }
}

export type CategoryView = z.infer<typeof CategoryFull>
