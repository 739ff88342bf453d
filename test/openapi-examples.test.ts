/**
 * The documents' examples work as written: every request-body example (whole bodies and each
 * property's) is valid under its own JSON Schema, and the create examples that matter (ticket,
 * intake category, field) are accepted by a service made as the README's Quick start makes one
 * (`{"code":"support","name":"Support"}`: Korean only). Compat routes keep the seed product's docs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ticket from '../plugins/ticket/mod.ts'
import { testPlatform, type TestPlatform } from './support/platform.ts'

type Schema = Record<string, any>

/** Why `value` does not fit `schema` (the subset of JSON Schema the documents use), or []. */
function problems(doc: any, schema: Schema | undefined, value: unknown, at: string): string[] {
  if (!schema || typeof schema !== 'object') return []
  if (schema.$ref) return problems(doc, schema.$ref.replace('#/components/schemas/', '').split('/').reduce((s: any, k: string) => s?.[k], doc.components.schemas), value, at)
  if (schema.oneOf || schema.anyOf) {
    const fits = (schema.oneOf ?? schema.anyOf).filter((s: Schema) => problems(doc, s, value, at).length === 0).length
    return fits >= 1 ? [] : [`${at}: fits none of the alternatives`]
  }
  if (schema.allOf) return schema.allOf.flatMap((s: Schema) => problems(doc, s, value, at))
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${schema.enum.join(', ')}`]
  const types: string[] = schema.type === undefined ? [] : [schema.type].flat()
  const typeOf = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value
  if (types.length && !types.some((t) => t === typeOf || (t === 'number' && typeOf === 'integer'))) return [`${at}: ${typeOf}, expected ${types.join('|')}`]
  const out: string[] = []
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push(`${at}: shorter than ${schema.minLength}`)
    if (schema.maxLength !== undefined && value.length > schema.maxLength) out.push(`${at}: longer than ${schema.maxLength}`)
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) out.push(`${at}: does not match ${schema.pattern}`)
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(`${at}: below ${schema.minimum}`)
    if (schema.maximum !== undefined && value > schema.maximum) out.push(`${at}: above ${schema.maximum}`)
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push(`${at}: more than ${schema.maxItems} items`)
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push(`${at}: fewer than ${schema.minItems} items`)
    value.forEach((item, i) => out.push(...problems(doc, schema.items, item, `${at}.${i}`)))
  }
  if (typeOf === 'object') {
    const object = value as Record<string, unknown>
    for (const key of schema.required ?? []) if (!(key in object)) out.push(`${at}.${key}: required`)
    for (const [key, item] of Object.entries(object)) {
      const own = schema.properties?.[key]
      if (own) out.push(...problems(doc, own, item, `${at}.${key}`))
      else if (schema.additionalProperties === false) out.push(`${at}.${key}: not allowed`)
      else if (typeof schema.additionalProperties === 'object') out.push(...problems(doc, schema.additionalProperties, item, `${at}.${key}`))
    }
  }
  return out
}

/** Every example inside a schema, with the schema that holds it (following $refs once each). */
function examples(doc: any, schema: Schema | undefined, at: string, seen = new Set<string>()): { at: string; schema: Schema; example: unknown }[] {
  if (!schema || typeof schema !== 'object') return []
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return []
    seen.add(schema.$ref)
    return examples(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')], at, seen)
  }
  const found = schema.example !== undefined ? [{ at, schema, example: schema.example }] : []
  for (const [key, child] of Object.entries(schema.properties ?? {})) found.push(...examples(doc, child as Schema, `${at}.${key}`, seen))
  for (const child of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? []), schema.items, typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined]) found.push(...examples(doc, child, at, seen))
  return found
}

const isCompat = (path: string) => path.includes('/openapi/v1') || path.includes('/api/v2')

function requestBodies(doc: any): { at: string; schema: Schema; example?: unknown }[] {
  const bodies: { at: string; schema: Schema; example?: unknown }[] = []
  for (const [path, operations] of Object.entries<any>(doc.paths)) {
    if (isCompat(path)) continue
    for (const [method, op] of Object.entries<any>(operations)) {
      const json = op?.requestBody?.content?.['application/json']
      if (json?.schema) bodies.push({ at: `${method.toUpperCase()} ${path}`, schema: json.schema, example: json.example })
    }
  }
  return bodies
}

describe('OpenAPI examples work as written', () => {
  let t: TestPlatform
  const docs: Record<string, any> = {}
  const api = '/o/acme/support/api/v1'
  beforeAll(async () => {
    t = await testPlatform({ plugins: [ticket] })
    // the README's Quick start: `{"code":"support","name":"Support"}`, so the defaults: Korean only
    const o = await t.call('/operator/v1/organizations', { body: { slug: 'acme', name: 'Acme' } })
    expect(o.status).toBe(201)
    const s = await t.call('/operator/v1/organizations/acme/services', { body: { code: 'support', name: 'Support', contract: { plugins: { ticket: {} } } } })
    expect(s.status, JSON.stringify(s.body)).toBe(201)
    expect(s.body.languages).toEqual(['ko'])
    docs.platform = (await t.call('/openapi.json')).body
    docs.service = (await t.call(`${api}/openapi.json`)).body
  })
  afterAll(() => t.close())

  for (const which of ['platform', 'service']) {
    it(`${which}: every request-body example is valid under its own schema`, () => {
      const doc = docs[which]
      const checked: string[] = []
      const wrong: string[] = []
      for (const body of requestBodies(doc)) {
        if (body.example !== undefined) wrong.push(...problems(doc, body.schema, body.example, body.at))
        for (const found of examples(doc, body.schema, body.at)) {
          checked.push(found.at)
          wrong.push(...problems(doc, found.schema, found.example, found.at))
        }
      }
      expect(checked.length).toBeGreaterThan(which === 'service' ? 10 : 0)
      expect(wrong).toEqual([])
    })
  }

  it('no localized example names a language the README-made service lacks', () => {
    const doc = docs.service
    const foreign = requestBodies(doc).flatMap((b) => examples(doc, b.schema, b.at)).filter((e) => e.schema.type === 'object' && e.example && typeof e.example === 'object' && 'ko' in (e.example as object) && Object.keys(e.example as object).some((k) => k !== 'ko'))
    expect(foreign.map((e) => e.at)).toEqual([])
  })

  it('the create examples (intake category, field, ticket) are accepted as written, and a missing consent is named', async () => {
    const example = (name: string) => docs.service.components.schemas[name].example
    const category = await t.call(`${api}/ticket/intake-categories`, { body: example('TicketIntakeCategoryCreate') })
    expect(category.status, JSON.stringify(category.body)).toBe(201)
    const field = await t.call(`${api}/ticket/fields`, { body: example('TicketFieldCreate') })
    expect(field.status, JSON.stringify(field.body)).toBe(201)
    const made = await t.call(`${api}/ticket/tickets`, { body: example('TicketCreateInput') })
    expect(made.status, JSON.stringify(made.body)).toBe(201)

    expect(docs.service.components.schemas.TicketCreateInput.description).toContain('privacy_consent')
    // Service keys work only once an administrator turns Open API access on (README: Service keys).
    const enabled = await t.call(`${api}/open-api`, { method: 'PUT', body: { enabled: true } })
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200)
    const key = await t.call(`${api}/open-api/keys`, { body: { name: 'form' } })
    expect(key.status, JSON.stringify(key.body)).toBe(201)
    const asCustomer = { token: key.body.token, headers: { 'x-forwarded-for': '127.0.0.1' } }
    const noConsent = await t.call(`${api}/ticket/tickets`, { ...asCustomer, body: { ...example('TicketCreateInput'), intakeCategoryId: category.body.id } })
    expect(noConsent.status, JSON.stringify(noConsent.body)).toBe(422)
    const issue = noConsent.body.error.issues.find((i: { path: string }) => i.path === 'body.fields.privacy_consent')
    expect(issue, JSON.stringify(noConsent.body)).toMatchObject({ code: 'required' })
    expect(issue.message).toContain('"privacy_consent": true')
  })
})
