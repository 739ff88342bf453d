/**
 * The core's own schema: the application role and the tenant-table helper every plugin uses,
 * tenancy (organizations, services and their contracts), operator tokens, plugin settings,
 * the event outbox and in-database blobs.
 */
import { APP_ROLE } from './db.ts'
import type { MigrationSet } from './migrations.ts'
import { auditMigrations } from '../audit/migrations.ts'
import { identityMigrations } from '../identity/migrations.ts'
import { eventMigrations, outboxNotifyWithoutPayload } from '../events/migrations.ts'

/**
 * Makes a table a tenant table: its rows go with their service (`service_id` references
 * `oc_services` ON DELETE CASCADE: added when the table has no such key, refused when its key
 * would keep the rows or block the delete), org_id/service_id default to the current tenant,
 * row-level security is enabled and forced, and the app role may read and write only its
 * tenant's rows. The owner (the role that runs migrations: the platform itself, e.g. the event
 * dispatcher) keeps access through an explicit policy, so FORCE binds everyone else to the
 * tenant policy. `oc_services` is looked up when a table is made one, so this is defined first.
 */
const tenantTableFunctions = `
CREATE OR REPLACE FUNCTION oc_tenant_cascade(tbl regclass) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
  rule "char";
BEGIN
  SELECT c.confdeltype INTO rule FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attname = 'service_id'
   WHERE c.conrelid = tbl AND c.contype = 'f' AND c.confrelid = 'oc_services'::regclass AND c.conkey = ARRAY[a.attnum]
   ORDER BY c.confdeltype = 'c' DESC LIMIT 1;
  IF rule IS NULL THEN
    -- A table made a tenant table before the key existed may hold rows of services deleted
    -- since: the rows the cascade would have removed.
    EXECUTE format('DELETE FROM %s t WHERE NOT EXISTS (SELECT 1 FROM oc_services s WHERE s.id = t.service_id)', tbl);
    EXECUTE format('ALTER TABLE %s ADD FOREIGN KEY (service_id) REFERENCES oc_services(id) ON DELETE CASCADE', tbl);
  ELSIF rule <> 'c' THEN
    RAISE EXCEPTION 'tenant table % references oc_services(id) without ON DELETE CASCADE, so its rows would outlive their service; declare the key ON DELETE CASCADE or leave it to oc_tenant_table', tbl
      USING ERRCODE = 'invalid_table_definition';
  END IF;
END $f$;

CREATE OR REPLACE FUNCTION oc_tenant_table(tbl regclass) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM oc_tenant_cascade(tbl);
  EXECUTE format('ALTER TABLE %s ALTER COLUMN org_id SET DEFAULT oc_current_org()', tbl);
  EXECUTE format('ALTER TABLE %s ALTER COLUMN service_id SET DEFAULT oc_current_service()', tbl);
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS oc_tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY oc_tenant_isolation ON %s
       USING (org_id = (SELECT oc_current_org()) AND service_id = (SELECT oc_current_service()))
       WITH CHECK (org_id = (SELECT oc_current_org()) AND service_id = (SELECT oc_current_service()))', tbl);
  EXECUTE format('DROP POLICY IF EXISTS oc_platform_all ON %s', tbl);
  EXECUTE format('CREATE POLICY oc_platform_all ON %s TO CURRENT_USER USING (true) WITH CHECK (true)', tbl);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ${APP_ROLE}', tbl);
END $f$;
`

const roleAndHelpers = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
END $$;
-- The connecting role must be able to SET ROLE to the app role (superusers always can).
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
  END IF;
END $$;
GRANT USAGE ON SCHEMA public TO ${APP_ROLE};

-- The tenant of the current transaction; NULL outside a tenant transaction, so policies match nothing.
CREATE OR REPLACE FUNCTION oc_current_org() RETURNS uuid LANGUAGE sql STABLE
  AS $f$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $f$;
CREATE OR REPLACE FUNCTION oc_current_service() RETURNS uuid LANGUAGE sql STABLE
  AS $f$ SELECT nullif(current_setting('app.service_id', true), '')::uuid $f$;

${tenantTableFunctions}`

const tenancy = `
CREATE TABLE oc_organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE oc_services (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES oc_organizations(id) ON DELETE CASCADE,
  code text NOT NULL,
  name text NOT NULL,
  default_language text NOT NULL,
  languages text[] NOT NULL,
  timezone text NOT NULL,
  contract jsonb NOT NULL DEFAULT '{"plugins": {}}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, code)
);

-- Every instance caches resolved tenants; this tells them all when to forget.
CREATE OR REPLACE FUNCTION oc_notify_tenancy() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM pg_notify('oc_tenancy', TG_TABLE_NAME);
  RETURN NULL;
END $f$;
CREATE TRIGGER oc_organizations_changed AFTER INSERT OR UPDATE OR DELETE ON oc_organizations
  FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_tenancy();
CREATE TRIGGER oc_services_changed AFTER INSERT OR UPDATE OR DELETE ON oc_services
  FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_tenancy();

CREATE TABLE oc_operator_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE TRIGGER oc_operator_tokens_changed AFTER INSERT OR UPDATE OR DELETE ON oc_operator_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_tenancy();
`

const tenantTables = `
CREATE TABLE oc_plugin_settings (
  org_id uuid NOT NULL,
  service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
  plugin_id text NOT NULL,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service_id, plugin_id)
);
SELECT oc_tenant_table('oc_plugin_settings');

CREATE TABLE oc_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL,
  service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
  event_id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  type text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
SELECT oc_tenant_table('oc_outbox');
-- Tenant code only appends events; the dispatcher works as the owner role.
REVOKE UPDATE, DELETE ON oc_outbox FROM ${APP_ROLE};

CREATE TABLE oc_blobs (
  org_id uuid NOT NULL,
  service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
  key text NOT NULL,
  content_type text NOT NULL,
  size integer NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service_id, key)
);
SELECT oc_tenant_table('oc_blobs');
`

/** Tenant tables made before `oc_tenant_table` ensured the cascade get it, once, here. */
const tenantCascade = `
${tenantTableFunctions}
SELECT oc_tenant_cascade(polrelid::regclass) FROM pg_policy WHERE polname = 'oc_tenant_isolation';
`

export const coreMigrations: MigrationSet = {
  owner: 'core',
  migrations: [
    { id: '0001_role_and_helpers', sql: roleAndHelpers },
    { id: '0002_tenancy', sql: tenancy },
    { id: '0003_tenant_tables', sql: tenantTables },
    ...auditMigrations,
    ...identityMigrations,
    ...eventMigrations,
    // Secrets of plugin settings, sealed together under the tenant key (see settings/store.ts).
    { id: '0014_plugin_settings_sealed', sql: 'ALTER TABLE oc_plugin_settings ADD COLUMN sealed_secrets text;' },
    outboxNotifyWithoutPayload,
    { id: '0017_tenant_cascade', sql: tenantCascade },
  ],
}
