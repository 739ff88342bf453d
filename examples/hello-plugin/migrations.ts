import type { Migration } from 'opencontact'

/**
 * A tenant table: org_id and service_id columns, then `oc_tenant_table` turns on row-level
 * security, so a tenant transaction sees only its own rows and inserts fill both ids.
 */
export const helloMigrations: Migration[] = [
  {
    id: '0001_greetings',
    sql: `
      CREATE TABLE hello_greetings (
        org_id uuid NOT NULL,
        service_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (service_id, id)
      );
      SELECT oc_tenant_table('hello_greetings');`,
  },
  {
    // Greetings made by a ticket trigger (trigger-results.ts) carry the effect that made them, once.
    id: '0002_greeting_effects',
    sql: `
      ALTER TABLE hello_greetings ADD COLUMN effect_id text;
      CREATE UNIQUE INDEX hello_greetings_effect ON hello_greetings (service_id, effect_id) WHERE effect_id IS NOT NULL;`,
  },
  {
    // The subscriber's tallies (tallies.ts), and the events it counted, so a redelivery counts once.
    id: '0003_tallies',
    sql: `
      CREATE TABLE hello_tallies (
        org_id uuid NOT NULL,
        service_id uuid NOT NULL,
        name text NOT NULL,
        greetings integer NOT NULL,
        PRIMARY KEY (service_id, name)
      );
      SELECT oc_tenant_table('hello_tallies');
      CREATE TABLE hello_counted_events (
        org_id uuid NOT NULL,
        service_id uuid NOT NULL,
        event_id text NOT NULL,
        PRIMARY KEY (service_id, event_id)
      );
      SELECT oc_tenant_table('hello_counted_events');`,
  },
]
