/**
 * Test fixture for field encryption: a tenant table of encrypted contact fields, and tenants to
 * put rows in. Used by the storage and rotation tests only.
 */
import type { Db, TenantScope } from '../storage/db.ts'
import { migrate } from '../storage/migrations.ts'
import { coreMigrations } from '../storage/core-migrations.ts'
import type { TenantCrypto } from '../api/crypto.ts'

/** Shaped like the ticket plugin's field values: one row per value, the field code beside it. */
const contactFields = {
  owner: 'crypto-test',
  migrations: [
    {
      id: '0001_contact_fields',
      sql: `
        CREATE TABLE contact_fields (
          org_id uuid NOT NULL,
          service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
          id bigint GENERATED ALWAYS AS IDENTITY,
          field_code text NOT NULL,
          value text,
          value_index text,
          touched integer NOT NULL DEFAULT 0,
          PRIMARY KEY (service_id, id)
        );
        SELECT oc_tenant_table('contact_fields');
        CREATE INDEX contact_fields_search ON contact_fields (service_id, field_code, value_index);`,
    },
  ],
}

/** Migrates the core and the fixture table, and creates `services` services in each of `orgs` organizations. */
export async function tenantsWithContactFields(db: Db, orgs = 2, services = 2): Promise<TenantScope[]> {
  await migrate(db, [coreMigrations, contactFields])
  const tenants: TenantScope[] = []
  for (let o = 0; o < orgs; o++) {
    const [org] = await db.sql<{ id: string }>`INSERT INTO oc_organizations (slug, name) VALUES (${`org-${o}`}, ${`Org ${o}`}) RETURNING id`
    for (let s = 0; s < services; s++) {
      const [service] = await db.sql<{ id: string }>`INSERT INTO oc_services (org_id, code, name, default_language, languages, timezone) VALUES (${org!.id}, ${`svc-${s}`}, ${`Service ${s}`}, 'ko', ${['ko']}, 'Asia/Seoul') RETURNING id`
      tenants.push({ orgId: org!.id, serviceId: service!.id })
    }
  }
  return tenants
}

/** The context values of `contact_fields` are encrypted with. */
export const fieldContext = (fieldCode: unknown) => `field:${String(fieldCode)}`

/** Inserts one encrypted value with its blind index, in the tenant's own transaction; returns the row id. */
export async function insertContactField(db: Db, fields: TenantCrypto, fieldCode: string, plaintext: string): Promise<string> {
  const value = await fields.encrypt(plaintext, fieldContext(fieldCode))
  const index = await fields.blindIndex(fieldCode, plaintext)
  const [row] = await db.tenantTransaction(fields.scope, (tx) => tx.sql<{ id: string }>`INSERT INTO contact_fields (field_code, value, value_index) VALUES (${fieldCode}, ${value}, ${index}) RETURNING id::text`)
  return row!.id
}
