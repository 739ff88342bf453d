/**
 * The category download (T2 ⑥, T3 ⑤): one row per category, depth first, with the columns
 * id, parent_id, level, path, name_<language> for each service language, active (intake only)
 * and order. The path is in the default language, as the admin console shows it.
 */
import { csvDocument, type CsvCell } from '../shared/csv.ts'
import { CATEGORY_KINDS, type CategoryKind } from './kinds.ts'
import type { CategoryTree } from './tree.ts'

export function categoriesCsv(tree: CategoryTree, kind: CategoryKind, service: { languages: readonly string[]; defaultLanguage: string }): Uint8Array {
  const { switchable } = CATEGORY_KINDS[kind]
  const header = ['id', 'parent_id', 'level', 'path', ...service.languages.map((l) => `name_${l}`), ...(switchable ? ['active'] : []), 'order']
  const rows = tree.depthFirst().map((node): CsvCell[] => [
    node.id,
    node.parentId,
    node.level,
    tree.pathOf(node.id, [service.defaultLanguage], service.defaultLanguage)[service.defaultLanguage]!,
    ...service.languages.map((l) => node.names[l] ?? null),
    ...(switchable ? [node.active] : []),
    node.orderNo,
  ])
  return csvDocument(header, rows)
}
