/**
 * The routes of one category tree, built for either kind: list, get, download, create, edit
 * (names, and for intake categories active), move, reorder and delete. Every change takes the
 * tree lock, works on the whole tree in memory, and records an audit entry in its transaction.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, z, type FieldIssue, type PlatformContext, type PluginApp, type TenantTx } from '../../../core/mod.ts'
import { localizedIssues, textIn } from '../shared/localized.ts'
import { IdParam } from '../shared/params.ts'
import { notFoundAt, ticketError, unknownAt } from '../shared/errors.ts'
import { ticketReferences } from '../shared/references.ts'
import { CATEGORY_KINDS, type CategoryKind, MAX_CATEGORIES_PER_TREE, MAX_CATEGORY_DEPTH } from './kinds.ts'
import { categorySchemas, type CategoryView } from './schemas.ts'
import { deleteCategory, insertCategory, loadCategoryTree, lockCategoryTree, renumberSiblings, setCategoryParent, updateCategory } from './store.ts'
import type { CategoryNode, CategoryTree } from './tree.ts'
import { categoriesCsv } from './csv-export.ts'
import { categoryUsage } from './usage.ts'

const admin = { role: 'admin' } as const

export function registerCategoryRoutes(app: PluginApp, kind: CategoryKind): void {
  const info = CATEGORY_KINDS[kind]
  const s = categorySchemas(kind)
  const base = `/${info.resource}`
  const tags = [info.kind === 'intake' ? 'Intake categories' : 'Processing categories']
  const conflict = { 409: json(ErrorBody, 'In use, or a limit reached') }

  const routes = {
    list: route({ method: 'get', path: base, tags, access: 'authenticated', summary: `The ${info.label} tree, depth first`, request: { query: s.ListQuery }, responses: { 200: json(s.List, 'Categories'), ...commonErrors } }),
    download: route({
      method: 'get',
      path: `${base}.csv`,
      tags,
      access: 'authenticated',
      summary: `Download the ${info.label} tree as CSV`,
      description: 'UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends; depth first.',
      responses: { 200: { description: 'CSV document', content: { 'text/csv': { schema: z.string() } } }, ...commonErrors },
    }),
    get: route({ method: 'get', path: `${base}/{id}`, tags, access: 'authenticated', summary: `One ${info.label}`, request: { params: IdParam }, responses: { 200: json(s.Category, 'The category'), ...commonErrors } }),
    create: route({ method: 'post', path: base, tags, access: admin, summary: `Add an ${info.label}`, request: jsonBody(s.Create), responses: { 201: json(s.Category, 'Added'), ...conflict, ...commonErrors } }),
    patch: route({
      method: 'patch',
      path: `${base}/{id}`,
      tags,
      access: admin,
      summary: info.switchable ? 'Rename, activate or deactivate an intake category' : 'Rename a processing category',
      request: { params: IdParam, ...jsonBody(s.Patch) },
      responses: { 200: json(s.Category, 'Updated'), ...commonErrors },
    }),
    move: route({
      method: 'post',
      path: `${base}/{id}/move`,
      tags,
      access: admin,
      summary: `Move an ${info.label} (with its subtree) under another parent`,
      description: `Refused when the subtree would go deeper than ${MAX_CATEGORY_DEPTH} levels or under itself.`,
      request: { params: IdParam, ...jsonBody(s.Move) },
      responses: { 200: json(s.Category, 'Moved'), ...commonErrors },
    }),
    order: route({
      method: 'put',
      path: `${base}/order`,
      tags,
      access: admin,
      summary: 'Reorder the children of one parent',
      request: jsonBody(s.Order),
      responses: { 200: json(s.List, 'The children in their new order'), ...commonErrors },
    }),
    remove: route({
      method: 'delete',
      path: `${base}/{id}`,
      tags,
      access: admin,
      summary: `Delete an ${info.label}`,
      description: 'Refused with 409 while anything uses it (child categories, attached fields, linked templates, tickets); the message names each.',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...conflict, ...commonErrors },
    }),
  }

  const languagesOf = (c: PlatformContext) => c.var.tenant.service
  const view = (c: PlatformContext, tree: CategoryTree, node: CategoryNode): CategoryView => {
    const service = languagesOf(c)
    return {
      id: node.id,
      parentId: node.parentId,
      level: node.level,
      position: node.orderNo,
      names: node.names,
      path: tree.pathOf(node.id, service.languages, service.defaultLanguage),
      pathIds: [...node.pathIds],
      childCount: node.childIds.length,
      ...(info.switchable ? { active: node.active, visible: node.visible } : {}),
      createdAt: node.createdAt,
      updatedAt: node.updatedAt,
    }
  }
  const nameOf = (c: PlatformContext, node: CategoryNode) => textIn(node.names, languagesOf(c).defaultLanguage, languagesOf(c).defaultLanguage)
  /** What the audit trail keeps of a category: its own fields, not derived ones. */
  const auditState = (node: CategoryNode) => ({ parentId: node.parentId, names: node.names, orderNo: node.orderNo, ...(info.switchable ? { active: node.active } : {}) })
  const existing = (tree: CategoryTree, id: string) => {
    const node = tree.get(id)
    if (!node) throw notFoundAt('path.id', info.label, id)
    return node
  }
  const parentIn = (tree: CategoryTree, parentId: string | null): CategoryNode | null => {
    if (parentId === null) return null
    const parent = tree.get(parentId)
    if (!parent) throw unknownAt('body.parentId', info.kind === 'intake' ? ticketReferences.intakeCategory : ticketReferences.processingCategory, parentId)
    return parent
  }
  /** Checks a 1-based position against a sibling count (`slots` = places available). */
  const placeAt = (position: number | undefined, slots: number): number => {
    if (position === undefined) return slots
    if (position > slots) throw errors.invalid([{ path: 'body.position', message: `there ${slots === 1 ? 'is 1 place' : `are ${slots} places`} at this level; use a position from 1 to ${slots}, or leave it out to add at the end` }])
    return position
  }
  const currentOrder = (nodes: readonly CategoryNode[]) => new Map(nodes.map((n) => [n.id, n.orderNo]))
  const change = <T>(c: PlatformContext, fn: (tx: TenantTx, tree: CategoryTree) => Promise<T>) =>
    c.var.db.tx(async (tx) => {
      await lockCategoryTree(tx, kind)
      return fn(tx, await loadCategoryTree(tx, kind))
    })
  const audit = (c: PlatformContext, tx: TenantTx, verb: string, id: string, states: { before?: unknown; after?: unknown }) =>
    recordAudit(tx, requestActor(c), { action: `ticket.${kind}-category.${verb}`, target: { type: info.auditType, id }, ...states })

  app.openapi(routes.download, async (c) => {
    const tree = await c.var.db.tx((tx) => loadCategoryTree(tx, kind))
    const body = categoriesCsv(tree, kind, languagesOf(c))
    // The typed handler expects the JSON answers it declares; a byte body needs the casts.
    return c.body(body as unknown as ArrayBuffer, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${info.resource}.csv"`,
    }) as never
  })

  app.openapi(routes.list, async (c) => {
    const onlyVisible = info.switchable && c.req.valid('query').visible === 'true'
    const tree = await c.var.db.tx((tx) => loadCategoryTree(tx, kind))
    const nodes = tree.depthFirst().filter((n) => !onlyVisible || n.visible)
    return c.json({ categories: nodes.map((n) => view(c, tree, n)) }, 200)
  })

  app.openapi(routes.get, async (c) => {
    const { id } = c.req.valid('param')
    const tree = await c.var.db.tx((tx) => loadCategoryTree(tx, kind))
    return c.json(view(c, tree, existing(tree, id)), 200)
  })

  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json')
    const issues = localizedIssues(body.names, 'body.names', languagesOf(c), { requireDefault: true })
    if (issues.length) throw errors.invalid(issues)
    const created = await change(c, async (tx, tree) => {
      if (tree.size >= MAX_CATEGORIES_PER_TREE) throw ticketError('TICKET_LIMIT_REACHED', `this service already has ${MAX_CATEGORIES_PER_TREE} ${info.label} entries, the most a tree may hold; delete unused ones first`)
      const parent = parentIn(tree, body.parentId ?? null)
      if (parent && parent.level >= MAX_CATEGORY_DEPTH) {
        throw errors.invalid([{ path: 'body.parentId', message: `'${nameOf(c, parent)}' is at level ${parent.level}; categories go at most ${MAX_CATEGORY_DEPTH} levels deep, so pick a parent at level ${MAX_CATEGORY_DEPTH - 1} or above`, code: 'too_deep' }])
      }
      const siblings = tree.childrenOf(parent?.id ?? null)
      const position = placeAt(body.position, siblings.length + 1)
      const id = await insertCategory(tx, { kind, parentId: parent?.id ?? null, names: body.names, active: body.active ?? true, orderNo: position })
      const ordered = siblings.map((n) => n.id)
      ordered.splice(position - 1, 0, id)
      await renumberSiblings(tx, ordered, new Map([...currentOrder(siblings), [id, position]]))
      const after = await loadCategoryTree(tx, kind)
      const node = after.get(id)!
      await audit(c, tx, 'created', id, { after: auditState(node) })
      return view(c, after, node)
    })
    return c.json(created, 201)
  })

  app.openapi(routes.patch, async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    if (body.names) {
      const issues = localizedIssues(body.names, 'body.names', languagesOf(c), { requireDefault: true })
      if (issues.length) throw errors.invalid(issues)
    }
    const updated = await change(c, async (tx, tree) => {
      const before = existing(tree, id)
      await updateCategory(tx, id, { names: body.names ?? before.names, active: body.active ?? before.active })
      const after = await loadCategoryTree(tx, kind)
      const node = after.get(id)!
      await audit(c, tx, 'updated', id, { before: auditState(before), after: auditState(node) })
      return view(c, after, node)
    })
    return c.json(updated, 200)
  })

  app.openapi(routes.move, async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const moved = await change(c, async (tx, tree) => {
      const before = existing(tree, id)
      const parent = parentIn(tree, body.parentId)
      const problem = tree.moveProblem(id, parent?.id ?? null)
      if (problem) {
        switch (problem.kind) {
          case 'own-subtree':
            throw errors.invalid([{ path: 'body.parentId', message: problem.parent.id === id ? `a category cannot be its own parent; pick another parent` : `'${nameOf(c, problem.parent)}' is inside the subtree of '${nameOf(c, before)}', so the move would make a cycle; pick a parent outside that subtree`, code: 'cycle' }])
          case 'too-deep':
            throw errors.invalid([{ path: 'body.parentId', message: `the subtree of '${nameOf(c, before)}' spans ${tree.heightOf(id)} levels, so under this parent it would reach level ${problem.deepestLevel}; categories go at most ${MAX_CATEGORY_DEPTH} levels deep, so pick a parent nearer the top`, code: 'too_deep' }])
          default: {
            const unreachable: never = problem
            throw unreachable
          }
        }
      }
      const newParentId = parent?.id ?? null
      const oldSiblings = tree.childrenOf(before.parentId)
      const newSiblings = tree.childrenOf(newParentId).filter((n) => n.id !== id)
      const position = placeAt(body.position, newSiblings.length + 1)
      if (newParentId !== before.parentId) {
        await setCategoryParent(tx, id, newParentId)
        const remaining = oldSiblings.filter((n) => n.id !== id)
        await renumberSiblings(tx, remaining.map((n) => n.id), currentOrder(remaining))
      }
      const ordered = newSiblings.map((n) => n.id)
      ordered.splice(position - 1, 0, id)
      await renumberSiblings(tx, ordered, currentOrder([...newSiblings, ...(newParentId === before.parentId ? [before] : [])]))
      const after = await loadCategoryTree(tx, kind)
      const node = after.get(id)!
      await audit(c, tx, 'moved', id, { before: auditState(before), after: auditState(node) })
      return view(c, after, node)
    })
    return c.json(moved, 200)
  })

  app.openapi(routes.order, async (c) => {
    const body = c.req.valid('json')
    const reordered = await change(c, async (tx, tree) => {
      const parent = parentIn(tree, body.parentId)
      const children = tree.childrenOf(parent?.id ?? null)
      const childIds = new Set(children.map((n) => n.id))
      const listed = new Set(body.ids)
      const issues: FieldIssue[] = []
      const under = parent ? `under '${nameOf(c, parent)}'` : 'at the top level'
      const strangers = body.ids.filter((id) => !childIds.has(id))
      const missing = children.filter((n) => !listed.has(n.id)).map((n) => n.id)
      if (listed.size !== body.ids.length) issues.push({ path: 'body.ids', message: 'lists a category more than once; list each child exactly once', code: 'duplicate' })
      if (strangers.length) issues.push({ path: 'body.ids', message: `${strangers.join(', ')} ${strangers.length === 1 ? 'is not a child' : 'are not children'} ${under}; list only its children`, code: 'not_a_child' })
      if (missing.length) issues.push({ path: 'body.ids', message: `leaves out ${missing.join(', ')}; list every child ${under}`, code: 'missing_child' })
      if (issues.length) throw errors.invalid(issues)
      await renumberSiblings(tx, body.ids, currentOrder(children))
      await audit(c, tx, 'reordered', parent?.id ?? 'top-level', { before: children.map((n) => n.id), after: body.ids })
      const after = await loadCategoryTree(tx, kind)
      return after.childrenOf(parent?.id ?? null).map((n) => view(c, after, n))
    })
    return c.json({ categories: reordered }, 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param')
    await change(c, async (tx, tree) => {
      const node = existing(tree, id)
      const usage = await categoryUsage(tx, { kind, id })
      if (usage.length) {
        const uses = usage.map((u) => `${u.count} ${u.what} (${u.fix})`).join('; ')
        throw ticketError('TICKET_CATEGORY_IN_USE', `${info.label} '${nameOf(c, node)}' is in use and cannot be deleted: ${uses}`, usage.map((u) => ({ path: u.key, message: `${u.count} ${u.what}; ${u.fix}`, code: 'in_use' })))
      }
      await deleteCategory(tx, id)
      const remaining = tree.childrenOf(node.parentId).filter((n) => n.id !== id)
      await renumberSiblings(tx, remaining.map((n) => n.id), currentOrder(remaining))
      await audit(c, tx, 'deleted', id, { before: auditState(node) })
    })
    return c.body(null, 204)
  })
}
