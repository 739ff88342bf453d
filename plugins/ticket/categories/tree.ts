/**
 * A category tree in memory: levels, paths, subtrees and the checks a move must pass (no deeper
 * than five levels, never under itself). A service's tree is small (it is what a customer scrolls
 * through), so every read and change loads it whole and reasons about it here, without SQL.
 */
import type { LocalizedText } from '../shared/localized.ts'
import { textIn } from '../shared/localized.ts'
import { MAX_CATEGORY_DEPTH } from './kinds.ts'

export interface CategoryRecord {
  readonly id: string
  readonly parentId: string | null
  readonly names: LocalizedText
  readonly active: boolean
  readonly orderNo: number
  readonly createdAt: string
  readonly updatedAt: string
}

export interface CategoryNode extends CategoryRecord {
  /** 1 for a top-level category. */
  readonly level: number
  /** Ids from the top-level ancestor down to this category itself. */
  readonly pathIds: readonly string[]
  /** Active, and every ancestor active: what customers may see. */
  readonly visible: boolean
  readonly childIds: readonly string[]
}

export type MoveProblem = { kind: 'own-subtree'; parent: CategoryNode } | { kind: 'too-deep'; deepestLevel: number }

export class CategoryTree {
  private readonly nodes = new Map<string, CategoryNode>()
  private readonly roots: string[]

  constructor(records: readonly CategoryRecord[]) {
    const children = new Map<string | null, CategoryRecord[]>()
    for (const record of records) {
      const siblings = children.get(record.parentId) ?? []
      siblings.push(record)
      children.set(record.parentId, siblings)
    }
    for (const siblings of children.values()) siblings.sort((a, b) => a.orderNo - b.orderNo || a.createdAt.localeCompare(b.createdAt))
    const visit = (record: CategoryRecord, parent: CategoryNode | null) => {
      const node: CategoryNode = {
        ...record,
        level: parent ? parent.level + 1 : 1,
        pathIds: [...(parent?.pathIds ?? []), record.id],
        visible: record.active && (parent?.visible ?? true),
        childIds: (children.get(record.id) ?? []).map((child) => child.id),
      }
      this.nodes.set(node.id, node)
      for (const child of children.get(record.id) ?? []) visit(child, node)
    }
    this.roots = (children.get(null) ?? []).map((r) => r.id)
    for (const root of children.get(null) ?? []) visit(root, null)
  }

  get(id: string): CategoryNode | undefined {
    return this.nodes.get(id)
  }

  /** Children of `parentId` (top level for null), in their order. */
  childrenOf(parentId: string | null): CategoryNode[] {
    const ids = parentId === null ? this.roots : (this.nodes.get(parentId)?.childIds ?? [])
    return ids.map((id) => this.nodes.get(id)!)
  }

  /** Every category, depth first, each parent before its children, siblings in order. */
  depthFirst(): CategoryNode[] {
    const out: CategoryNode[] = []
    const walk = (ids: readonly string[]) => {
      for (const id of ids) {
        const node = this.nodes.get(id)!
        out.push(node)
        walk(node.childIds)
      }
    }
    walk(this.roots)
    return out
  }

  get size(): number {
    return this.nodes.size
  }

  /** How many levels the subtree under `id` spans, counting `id` itself (a leaf spans 1). */
  heightOf(id: string): number {
    const node = this.nodes.get(id)
    if (!node) return 0
    return 1 + Math.max(0, ...node.childIds.map((child) => this.heightOf(child)))
  }

  /** The names along the path, per language, joined with ' > ' (missing translations fall back to the default language). */
  pathOf(id: string, languages: readonly string[], defaultLanguage: string): Record<string, string> {
    const names = this.nodes.get(id)!.pathIds.map((ancestor) => this.nodes.get(ancestor)!.names)
    return Object.fromEntries(languages.map((language) => [language, names.map((n) => textIn(n, language, defaultLanguage)).join(' > ')]))
  }

  /** Why `id` may not go under `parentId`, or null when it may. */
  moveProblem(id: string, parentId: string | null): MoveProblem | null {
    if (parentId !== null) {
      const parent = this.nodes.get(parentId)!
      if (parent.pathIds.includes(id)) return { kind: 'own-subtree', parent }
    }
    const parentLevel = parentId === null ? 0 : this.nodes.get(parentId)!.level
    const deepestLevel = parentLevel + this.heightOf(id)
    return deepestLevel > MAX_CATEGORY_DEPTH ? { kind: 'too-deep', deepestLevel } : null
  }
}
