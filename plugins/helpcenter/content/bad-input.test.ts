/**
 * Bad input to every content route is a 4xx, never a 500: each operation the service's OpenAPI
 * document lists under the help center's content paths (management and compat) is called with
 * a NUL, a lone surrogate, a malformed id and a wrong type in each path and query parameter and
 * in its body, so a route is covered the day it is declared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestPlatform, type TestPlatform, type TestService } from 'opencontact/testing'
import ticket from 'opencontact/plugins/ticket'
import helpcenter from '../mod.ts'

const CONTENT_PATH = /^\/(helpcenter\/|api\/v2\/(notice|helpdoc|service))/
const BAD_VALUES = ['\u0000', '\ud800', 'x'.repeat(300), '-1', '1e99', '../..', '%']

/** Percent-encoded; a lone surrogate (which has no UTF-8 form) as the bytes a client would send for it. */
const encoded = (value: string) => {
  try {
    return encodeURIComponent(value)
  } catch {
    return '%ED%A0%80'
  }
}

interface Operation {
  method: string
  path: string
  parameters: { name: string; in: string }[]
  hasBody: boolean
}

describe('help-center content routes under bad input', () => {
  let tp: TestPlatform
  let svc: TestService
  let operations: Operation[]
  beforeAll(async () => {
    tp = await createTestPlatform({ plugins: [ticket, helpcenter], events: { background: false } })
    svc = await tp.service('bad-org', 'desk', { plugins: ['ticket', 'helpcenter'], languages: ['ko', 'en'] })
    const doc = (await svc.call('/openapi.json')).body
    operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .filter(([path]) => CONTENT_PATH.test(path))
      .flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
          .map(([method, op]) => ({ method, path, parameters: op.parameters ?? [], hasBody: Boolean(op.requestBody) })),
      )
  }, 60_000)
  afterAll(() => tp.close())

  it('answers every content operation below 500', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(40)
    const failures: string[] = []
    const statuses = new Set<number>()
    const send = async (op: Operation, pathValue: string, query: Record<string, string>, body?: unknown) => {
      const path = op.path.replace(/\{[^}]+\}/g, encoded(pathValue))
      const search = Object.entries(query).map(([name, value]) => `${name}=${encoded(value)}`).join('&')
      const url = op.path.startsWith('/api/v2') ? `/o/bad-org/desk${path}` : `${svc.api}${path}`
      const res = await tp.call(`${url}${search ? `?${search}` : ''}`, { method: op.method.toUpperCase(), body })
      statuses.add(res.status)
      if (res.status >= 500) failures.push(`${op.method.toUpperCase()} ${url}?${search} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`)
    }
    for (const op of operations) {
      const queryNames = op.parameters.filter((p) => p.in === 'query').map((p) => p.name)
      for (const bad of BAD_VALUES) {
        await send(op, bad, {})
        await send(op, crypto.randomUUID(), Object.fromEntries(queryNames.map((name) => [name, bad])))
        if (op.hasBody) {
          await send(op, crypto.randomUUID(), {}, { names: { ko: bad }, translations: { ko: { title: bad, html: bad } }, language: bad, publishAt: bad, fileName: bad, data: bad })
          await send(op, crypto.randomUUID(), {}, { [bad]: 1, tagIds: [bad], categoryId: bad, parentId: 7 })
        }
      }
    }
    expect(failures).toEqual([])
    // The calls reached validation (422), the handlers (404 for ids that do not exist) and the compat refusals (400).
    expect([...statuses]).toEqual(expect.arrayContaining([400, 404, 422]))
  }, 120_000)
})
