/**
 * One API vocabulary: the platform and service OpenAPI documents (what clients generate code
 * from) name each concept one way. A retired synonym appearing again as a property name of any
 * schema fails here. The compat layer (`/openapi/v1`, `/api/v2`, schemas `OcCompat*`) keeps the
 * seed product's documented names and is left out. The table is the README's "API vocabulary".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ticket from '../plugins/ticket/mod.ts'
import { testPlatform, type TestPlatform } from './support/platform.ts'

/** Retired name → the name to use instead. */
export const RETIRED: Record<string, string> = {
  body: 'content', // the text of a ticket, a reply or a note
  text: 'content',
  labels: 'names', // display text per language (field options too)
  label: 'names',
  titles: 'names',
  secret: 'token', // only a web hook's signing secret keeps `secret` (see ALLOWED)
  key: 'token',
  organizationId: 'orgId',
  organization_id: 'orgId',
  orderNo: 'position',
  order: 'position',
  sort: 'position',
  isActive: 'active',
  isEnabled: 'enabled',
  // a kept record in use or not (categories, triggers, web hook subscriptions); `enabled` stays
  // only for switches that turn a capability on (see ALLOWED)
  enabled: 'active',
  disabled: 'active',
  inactive: 'active',
  cursor: 'nextCursor', // in answers; `cursor` stays a query parameter
  next: 'nextCursor',
}

/**
 * Where a retired word still names a different concept, by schema: the ids of the places listed
 * here are checked, so a new use elsewhere still fails.
 */
const ALLOWED: Record<string, string[]> = {
  // the web hook signing secret (Standard Webhooks' `whsec_…`): verified with, never sent as a credential
  secret: ['WebhookSubscriptionCreated'],
  // a rotated key answer wraps the new key record (which carries `token`) next to `previous`
  key: ['ServiceKeyRotated'],
  // who did it, as shown (actor label), not a display name per language
  label: ['AuditEntry', 'Ticket', 'TicketHistoryEntry', 'TicketEntry'],
  // banned-word preview: the text to test and the matched text, not a ticket's content
  text: ['TicketBannedWordPreview', 'TicketBannedWordMatch', 'TicketBannedWordPreviewInput'],
  // switches of a capability, not records: Open API access of a service, IMAP polling of a mail account
  enabled: ['OpenApiPut', 'OpenApiState', 'TicketMailAccount', 'TicketMailAccountInput'],
}

const isCompat = (where: string) => where.includes('/openapi/v1') || where.includes('/api/v2') || where.startsWith('OcCompat')

/** Every property name of every schema, with the component or path it was found under. */
function propertyNames(document: any): { name: string; where: string }[] {
  const found: { name: string; where: string }[] = []
  const walk = (node: unknown, where: string) => {
    if (!node || typeof node !== 'object') return
    const properties = (node as { properties?: Record<string, unknown> }).properties
    if (properties && typeof properties === 'object') for (const name of Object.keys(properties)) found.push({ name, where })
    for (const value of Object.values(node)) walk(value, where)
  }
  for (const [path, operations] of Object.entries(document.paths ?? {})) if (!isCompat(path)) walk(operations, path)
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) if (!isCompat(name)) walk(schema, name)
  return found
}

describe('one API vocabulary in the OpenAPI documents', () => {
  let t: TestPlatform
  const documents: Record<string, any> = {}
  beforeAll(async () => {
    t = await testPlatform({ plugins: [ticket] })
    await t.createService('acme', 'desk', ['ticket'])
    documents.platform = (await t.call('/openapi.json')).body
    documents.service = (await t.call('/o/acme/desk/api/v1/openapi.json')).body
  })
  afterAll(() => t.close())

  for (const which of ['platform', 'service']) {
    it(`${which}: no retired synonym is a property name`, () => {
      const names = propertyNames(documents[which])
      expect(names.length).toBeGreaterThan(50)
      const retired = names.filter(({ name, where }) => name in RETIRED && !(ALLOWED[name] ?? []).includes(where)).map(({ name, where }) => `${where}: '${name}' (use '${RETIRED[name]}')`)
      expect([...new Set(retired)]).toEqual([])
    })
  }

  it('the words chosen are the ones the documents use', () => {
    const service = new Set(propertyNames(documents.service).map((p) => p.name))
    for (const chosen of ['content', 'names', 'descriptions', 'token', 'orgId', 'position', 'active', 'enabled', 'nextCursor', 'createdAt']) expect(service, chosen).toContain(chosen)
  })
})
