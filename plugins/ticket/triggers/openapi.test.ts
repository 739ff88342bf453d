/** The trigger routes and schemas appear in the service's OpenAPI document. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ok } from '../test-support.ts'
import { triggerBed, type TriggerBed } from './test-bed.ts'

describe('trigger routes in the OpenAPI document', () => {
  let bed: TriggerBed
  beforeAll(async () => {
    bed = await triggerBed('pglite', 'trig-doc')
  })
  afterAll(() => bed.close())

  it('lists every trigger route with its schemas', async () => {
    const doc = await ok(bed.call(`${bed.api}/openapi.json`, { token: null }))
    const paths = Object.keys(doc.paths).filter((p) => p.includes('trigger'))
    expect(paths.map((p) => p.replace(/^.*\/api\/v1/, '')).sort()).toEqual(
      ['/ticket/trigger-actions', '/ticket/triggers', '/ticket/triggers/dry-run', '/ticket/triggers/order', '/ticket/triggers/{id}', '/ticket/triggers/{id}/activate', '/ticket/triggers/{id}/deactivate', '/ticket/triggers/{id}/log'].sort(),
    )
    for (const name of ['TicketTrigger', 'TicketTriggerInput', 'TicketTriggerCondition', 'TicketTriggerResult', 'TicketTriggerRun', 'TicketTriggerDryRun']) expect(doc.components.schemas).toHaveProperty(name)
  })
})
