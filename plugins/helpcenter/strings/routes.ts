/**
 * String sets (W6) under `/helpcenter/strings`: the sets (system ones: texts and tags editable,
 * code fixed, reset to the defaults; custom ones: add, edit, delete), their tags, and the
 * `strings` a page gets in a language.
 */
import { commonErrors, ErrorBody, errors, json, jsonBody, recordAudit, requestActor, route, type FieldIssue, type PlatformContext, type PluginApp, type TenantTx } from '../../../core/mod.ts'
import { themeError } from '../render/errors.ts'
import { CodeParam, ResolvedQuery, ResolvedStrings, StringSetCreate, StringSetList, StringSetPatch, StringSetQuery, StringSetSchema, TagBody, TagIdParam, TagList, TagSchema, type StringSetView } from './schemas.ts'
import { isSystemCode } from './system.ts'
import { allTags, deleteSet, deleteTag, findTag, insertCustomSet, insertTag, putSet, renameTag, setTagLinks, storedSet, tagNamed, unknownTagIds, type Texts } from './store.ts'
import { stringSetViews } from './views.ts'
import { resolveStrings } from './resolve.ts'

const tags = ['Help center strings']
const admin = { permission: 'helpcenter' } as const
const MAX_CUSTOM_SETS = 2_000

const conflict = { 409: json(ErrorBody, 'A code or tag name is taken, or a system set cannot be deleted') }
const routes = {
  listTags: route({ method: 'get', path: '/strings/tags', tags, access: admin, summary: 'Tags of string sets', responses: { 200: json(TagList, 'Tags by name'), ...commonErrors } }),
  createTag: route({ method: 'post', path: '/strings/tags', tags, access: admin, summary: 'Add a tag', request: jsonBody(TagBody), responses: { 201: json(TagSchema, 'Added'), ...conflict, ...commonErrors } }),
  patchTag: route({ method: 'patch', path: '/strings/tags/{id}', tags, access: admin, summary: 'Rename a tag', request: { params: TagIdParam, ...jsonBody(TagBody) }, responses: { 200: json(TagSchema, 'Renamed'), ...conflict, ...commonErrors } }),
  deleteTag: route({ method: 'delete', path: '/strings/tags/{id}', tags, access: admin, summary: 'Delete a tag (sets lose it)', request: { params: TagIdParam }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
  resolved: route({ method: 'get', path: '/strings/resolved', tags, access: admin, summary: 'The `strings` pages get in a language', request: { query: ResolvedQuery }, responses: { 200: json(ResolvedStrings, 'Code → text'), ...commonErrors } }),
  list: route({ method: 'get', path: '/strings/sets', tags, access: admin, summary: 'String sets: system ones, then custom ones', request: { query: StringSetQuery }, responses: { 200: json(StringSetList, 'The sets'), ...commonErrors } }),
  get: route({ method: 'get', path: '/strings/sets/{code}', tags, access: admin, summary: 'One string set', request: { params: CodeParam }, responses: { 200: json(StringSetSchema, 'The set'), ...commonErrors } }),
  create: route({ method: 'post', path: '/strings/sets', tags, access: admin, summary: 'Add a custom string set', request: jsonBody(StringSetCreate), responses: { 201: json(StringSetSchema, 'Added'), ...conflict, ...commonErrors } }),
  patch: route({ method: 'patch', path: '/strings/sets/{code}', tags, access: admin, summary: 'Edit a set\'s texts or tags (a system set keeps its code)', request: { params: CodeParam, ...jsonBody(StringSetPatch) }, responses: { 200: json(StringSetSchema, 'Updated'), ...commonErrors } }),
  reset: route({ method: 'post', path: '/strings/sets/{code}/reset', tags, access: admin, summary: 'Return a system set to its default texts (its tags stay)', request: { params: CodeParam }, responses: { 200: json(StringSetSchema, 'Reset'), ...conflict, ...commonErrors } }),
  remove: route({ method: 'delete', path: '/strings/sets/{code}', tags, access: admin, summary: 'Delete a custom string set', request: { params: CodeParam }, responses: { 204: { description: 'Deleted' }, ...conflict, ...commonErrors } }),
}

export function registerStringRoutes(app: PluginApp): void {
  const audit = (c: PlatformContext, tx: TenantTx, verb: string, target: { type: string; id: string }, states: { before?: unknown; after?: unknown }) =>
    recordAudit(tx, requestActor(c), { action: `helpcenter.${target.type === 'helpcenter-string-tag' ? 'string-tag' : 'string-set'}.${verb}`, target, ...states })
  const setTarget = (code: string) => ({ type: 'helpcenter-string-set', id: code })
  const viewOf = async (tx: TenantTx, code: string): Promise<StringSetView> => {
    const view = (await stringSetViews(tx)).find((set) => set.code === code)
    if (!view) throw errors.notFound(`string set '${code}'`)
    return view
  }
  /** Issues of texts in languages the service does not have, and of tags it does not have. */
  const checkInput = async (c: PlatformContext, tx: TenantTx, texts: Texts | undefined, tagIds: readonly string[] | undefined) => {
    const { languages } = c.var.tenant.service
    const issues: FieldIssue[] = Object.keys(texts ?? {})
      .filter((lang) => !languages.includes(lang))
      .map((lang) => ({ path: `body.texts.${lang}`, message: `'${lang}' is not a language of this service; use one of ${languages.join(', ')}` }))
    for (const id of await unknownTagIds(tx, tagIds ?? [])) issues.push({ path: `body.tagIds.${tagIds!.indexOf(id)}`, message: `'${id}' is not a tag of this service; add it under /helpcenter/strings/tags first`, code: 'unknown_reference' })
    if (issues.length) throw errors.invalid(issues)
  }
  const tagOf = async (tx: TenantTx, id: string) => {
    const tag = await findTag(tx, id)
    if (!tag) throw errors.notFound(`string tag ${id}`)
    return tag
  }
  const freeTagName = async (tx: TenantTx, name: string, self?: string) => {
    const taken = await tagNamed(tx, name)
    if (taken && taken.id !== self) throw themeError('HELPCENTER_STRING_TAG_EXISTS', `a tag named '${name}' exists (${taken.id}); choose another name`)
  }

  app.openapi(routes.listTags, async (c) => c.json({ tags: await c.var.db.tx((tx) => allTags(tx)) }, 200))

  app.openapi(routes.createTag, async (c) => {
    const { name } = c.req.valid('json')
    const tag = await c.var.db.tx(async (tx) => {
      await freeTagName(tx, name)
      const created = await insertTag(tx, name)
      if (!created) throw themeError('HELPCENTER_STRING_TAG_EXISTS', `a tag named '${name}' was just added; choose another name`)
      await audit(c, tx, 'created', { type: 'helpcenter-string-tag', id: created.id }, { after: created })
      return created
    })
    return c.json(tag, 201)
  })

  app.openapi(routes.patchTag, async (c) => {
    const { id } = c.req.valid('param')
    const { name } = c.req.valid('json')
    const tag = await c.var.db.tx(async (tx) => {
      const before = await tagOf(tx, id)
      await freeTagName(tx, name, id)
      const after = await renameTag(tx, id, name)
      await audit(c, tx, 'updated', { type: 'helpcenter-string-tag', id }, { before, after })
      return after
    })
    return c.json(tag, 200)
  })

  app.openapi(routes.deleteTag, async (c) => {
    const { id } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const before = await tagOf(tx, id)
      await deleteTag(tx, id)
      await audit(c, tx, 'deleted', { type: 'helpcenter-string-tag', id }, { before })
    })
    return c.body(null, 204)
  })

  app.openapi(routes.resolved, async (c) => {
    const service = c.var.tenant.service
    const language = c.req.valid('query').language ?? service.defaultLanguage
    if (!service.languages.includes(language)) throw errors.invalid([{ path: 'query.language', message: `'${language}' is not a language of this service; use one of ${service.languages.join(', ')}` }])
    return c.json({ language, strings: await c.var.db.tx((tx) => resolveStrings(tx, service, language)) }, 200)
  })

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query')
    const needle = query.q?.trim().toLowerCase()
    const sets = (await c.var.db.tx((tx) => stringSetViews(tx))).filter(
      (set) =>
        (query.kind === undefined || set.system === (query.kind === 'system')) &&
        (query.tagId === undefined || set.tagIds.includes(query.tagId)) &&
        (!needle || set.code.includes(needle) || Object.values(set.texts).some((text) => text.toLowerCase().includes(needle))),
    )
    return c.json({ sets }, 200)
  })

  app.openapi(routes.get, async (c) => c.json(await c.var.db.tx((tx) => viewOf(tx, c.req.valid('param').code)), 200))

  app.openapi(routes.create, async (c) => {
    const body = c.req.valid('json')
    const created = await c.var.db.tx(async (tx) => {
      if (isSystemCode(body.code)) throw themeError('HELPCENTER_STRING_CODE_TAKEN', `'${body.code}' is the code of a system set; edit that set (PATCH /helpcenter/strings/sets/${body.code}) or choose another code`)
      if (await storedSet(tx, body.code)) throw themeError('HELPCENTER_STRING_CODE_TAKEN', `a string set with the code '${body.code}' exists; edit it or choose another code`)
      const [row] = await tx.sql<{ count: number }>`SELECT count(*)::int AS count FROM helpcenter_string_sets WHERE NOT system`
      if (row!.count >= MAX_CUSTOM_SETS) throw errors.conflict(`this service has ${MAX_CUSTOM_SETS} custom string sets, the most it may; delete some first`)
      await checkInput(c, tx, body.texts, body.tagIds)
      if (!(await insertCustomSet(tx, body.code, body.texts))) throw themeError('HELPCENTER_STRING_CODE_TAKEN', `a string set with the code '${body.code}' was just added; edit it or choose another code`)
      if (body.tagIds) await setTagLinks(tx, body.code, body.tagIds)
      const view = await viewOf(tx, body.code)
      await audit(c, tx, 'created', setTarget(body.code), { after: view })
      return view
    })
    return c.json(created, 201)
  })

  app.openapi(routes.patch, async (c) => {
    const { code } = c.req.valid('param')
    const body = c.req.valid('json')
    const updated = await c.var.db.tx(async (tx) => {
      const before = await viewOf(tx, code)
      await checkInput(c, tx, body.texts, body.tagIds)
      if (body.texts) {
        // A system set stores only its edit: the languages edited so far, plus these.
        const current = before.system ? ((await storedSet(tx, code))?.texts ?? {}) : before.texts
        await putSet(tx, code, before.system, { ...current, ...body.texts })
      }
      if (body.tagIds) await setTagLinks(tx, code, body.tagIds)
      const after = await viewOf(tx, code)
      await audit(c, tx, 'updated', setTarget(code), { before, after })
      return after
    })
    return c.json(updated, 200)
  })

  app.openapi(routes.reset, async (c) => {
    const { code } = c.req.valid('param')
    const reset = await c.var.db.tx(async (tx) => {
      const before = await viewOf(tx, code)
      if (!before.system) throw themeError('HELPCENTER_SYSTEM_STRING', `'${code}' is a custom set and has no defaults to return to; edit its texts instead`)
      await deleteSet(tx, code)
      const after = await viewOf(tx, code)
      await audit(c, tx, 'reset', setTarget(code), { before, after })
      return after
    })
    return c.json(reset, 200)
  })

  app.openapi(routes.remove, async (c) => {
    const { code } = c.req.valid('param')
    await c.var.db.tx(async (tx) => {
      const before = await viewOf(tx, code)
      if (before.system) throw themeError('HELPCENTER_SYSTEM_STRING', `'${code}' is a system set, which is never deleted; edit its texts, or reset it (POST /helpcenter/strings/sets/${code}/reset)`)
      await deleteSet(tx, code)
      await setTagLinks(tx, code, [])
      await audit(c, tx, 'deleted', setTarget(code), { before })
    })
    return c.body(null, 204)
  })
}
