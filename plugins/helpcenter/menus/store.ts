/**
 * External menus (W7): their shapes and rows. A menu has a title per help-center language (every
 * language it names must be one of the service's), an http(s) URL, a new-window flag and a place
 * in the order; the order is dense (0, 1, 2, ...) and rewritten whole by a reorder.
 */
import { errors, z, type Queryable, type TenantTx } from '../../../core/mod.ts'

const Titles = z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language code such as ko or en'), z.string().trim().min(1).max(100)).refine((t) => Object.keys(t).length > 0, 'give a title in at least one language')
const Url = z.url({ protocol: /^https?$/, error: 'an http or https URL' }).max(2000)

export const MenuInput = z.strictObject({ titles: Titles, url: Url, newWindow: z.boolean().default(false) }).openapi('HelpCenterMenuInput')
export const MenuPatch = z.strictObject({ titles: Titles.optional(), url: Url.optional(), newWindow: z.boolean().optional() }).openapi('HelpCenterMenuPatch')
export const MenuOrder = z.strictObject({ ids: z.array(z.uuid()).max(100) }).openapi('HelpCenterMenuOrder')

export const ExternalMenu = z
  .object({ id: z.uuid(), titles: z.record(z.string(), z.string()), url: z.string(), newWindow: z.boolean(), position: z.number().int() })
  .openapi('HelpCenterExternalMenu')
export type ExternalMenu = z.infer<typeof ExternalMenu>

interface MenuRow {
  id: string
  titles: Record<string, string>
  url: string
  new_window: boolean
  position: number
}

const view = (row: MenuRow): ExternalMenu => ({ id: row.id, titles: row.titles, url: row.url, newWindow: row.new_window, position: row.position })

/** Refuses titles in a language the service's help center does not have. */
export function checkLanguages(titles: Record<string, string> | undefined, languages: readonly string[]): void {
  const unknown = Object.keys(titles ?? {}).filter((code) => !languages.includes(code))
  if (unknown.length) throw errors.invalid(unknown.map((code) => ({ path: `body.titles.${code}`, message: `'${code}' is not a language of this service (${languages.join(', ')})`, code: 'unknown_language' })))
}

export async function listMenus(tx: Queryable): Promise<ExternalMenu[]> {
  return (await tx.query<MenuRow>('SELECT * FROM helpcenter_external_menus ORDER BY position, id')).map(view)
}

export async function addMenu(tx: TenantTx, input: z.infer<typeof MenuInput>): Promise<ExternalMenu> {
  const [row] = await tx.sql<MenuRow>`
    INSERT INTO helpcenter_external_menus (titles, url, new_window, position)
    VALUES (${JSON.stringify(input.titles)}::jsonb, ${input.url}, ${input.newWindow}, (SELECT count(*) FROM helpcenter_external_menus))
    RETURNING *`
  return view(row!)
}

export async function editMenu(tx: TenantTx, id: string, patch: z.infer<typeof MenuPatch>): Promise<ExternalMenu | null> {
  const [row] = await tx.sql<MenuRow>`
    UPDATE helpcenter_external_menus SET
      titles = COALESCE(${patch.titles ? JSON.stringify(patch.titles) : null}::jsonb, titles),
      url = COALESCE(${patch.url ?? null}, url),
      new_window = COALESCE(${patch.newWindow ?? null}::boolean, new_window),
      updated_at = now()
    WHERE id = ${id} RETURNING *`
  return row ? view(row) : null
}

/** Deletes a menu and closes the gap it leaves in the order. */
export async function deleteMenu(tx: TenantTx, id: string): Promise<boolean> {
  const [row] = await tx.sql<{ position: number }>`DELETE FROM helpcenter_external_menus WHERE id = ${id} RETURNING position`
  if (!row) return false
  await tx.sql`UPDATE helpcenter_external_menus SET position = position - 1 WHERE position > ${row.position}`
  return true
}

/** Puts the menus in the order given; the list must name every menu once. */
export async function reorderMenus(tx: TenantTx, ids: readonly string[]): Promise<ExternalMenu[]> {
  const current = await listMenus(tx)
  const known = new Set(current.map((m) => m.id))
  const given = new Set(ids)
  if (given.size !== ids.length || given.size !== known.size || ids.some((id) => !known.has(id))) {
    throw errors.invalid([{ path: 'body.ids', message: `name every external menu once, in the new order (${known.size} menus: ${[...known].join(', ')})`, code: 'invalid_order' }])
  }
  await tx.sql`UPDATE helpcenter_external_menus m SET position = o.position - 1, updated_at = now() FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS o(id, position) WHERE m.id = o.id`
  return listMenus(tx)
}
