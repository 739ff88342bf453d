/** String sets as the API shows them: system sets (defaults, edits) and custom sets, with tags. */
import type { Queryable } from '../../../core/mod.ts'
import type { StringSetView } from './schemas.ts'
import { SYSTEM_STRINGS } from './system.ts'
import { storedSets, tagLinks } from './store.ts'

/** Every set of the service: the system sets in catalogue order, then the custom ones by code. */
export async function stringSetViews(tx: Queryable): Promise<StringSetView[]> {
  const [stored, links] = await Promise.all([storedSets(tx), tagLinks(tx)])
  const byCode = new Map(stored.map((set) => [set.code, set]))
  const system = Object.entries(SYSTEM_STRINGS).map(([code, defaults]): StringSetView => {
    const edit = byCode.get(code)
    return { code, system: true, texts: { ...defaults, ...edit?.texts }, defaults: { ...defaults }, edited: edit !== undefined, tagIds: links.get(code) ?? [], updatedAt: edit?.updatedAt ?? null }
  })
  const custom = stored
    .filter((set) => !set.system)
    .map((set): StringSetView => ({ code: set.code, system: false, texts: set.texts, defaults: null, edited: false, tagIds: links.get(set.code) ?? [], updatedAt: set.updatedAt }))
  return [...system, ...custom]
}
