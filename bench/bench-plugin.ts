/**
 * The plugin benchmarks measure the request path with: one authenticated route with a
 * zod-validated query and a zod-described answer, and no database work, so a run measures what
 * the platform adds around a handler rather than what a handler does.
 */
import { commonErrors, definePlugin, json, route, z } from '../core/mod.ts'

/** The JSON every server of `platform-path` answers, byte for byte (`id` comes from the query). */
export const BENCH_ITEM = { id: 42, name: 'bench item', tags: ['alpha', 'beta'], ok: true }

const Item = z.object({ id: z.number().int(), name: z.string(), tags: z.array(z.string()), ok: z.boolean() }).openapi('BenchItem')

const getItem = route({
  method: 'get',
  path: '/item',
  access: 'authenticated',
  tags: ['Bench'],
  summary: 'A fixed item, for measuring the request path',
  request: { query: z.object({ id: z.coerce.number().int().min(1) }) },
  responses: { 200: json(Item, 'The item'), ...commonErrors },
})

export const benchPlugin = definePlugin({
  id: 'bench',
  version: '1.0.0',
  core: '^1',
  description: 'Benchmark fixture: one authenticated route that touches no table.',
  routes(app) {
    app.openapi(getItem, (c) => c.json({ ...BENCH_ITEM, id: c.req.valid('query').id }, 200))
  },
})
