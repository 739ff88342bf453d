import { APP_ROLE } from '../storage/db.ts'
import type { Migration } from '../storage/migrations.ts'

/**
 * `oc_audit`: append-only. Tenant transactions may insert and read their service's entries;
 * organization-level entries (no service) are written and read by platform code only.
 */
export const auditMigrations: Migration[] = [
  {
    id: '0004_audit',
    sql: `
      CREATE TABLE oc_audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        org_id uuid NOT NULL DEFAULT oc_current_org() REFERENCES oc_organizations(id) ON DELETE CASCADE,
        service_id uuid DEFAULT oc_current_service() REFERENCES oc_services(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL,
        actor_id text,
        actor_label text,
        ip text,
        request_id text,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NOT NULL,
        before jsonb,
        after jsonb
      );
      CREATE INDEX oc_audit_service_at ON oc_audit (service_id, at DESC, id DESC);
      CREATE INDEX oc_audit_org_at ON oc_audit (org_id, at DESC, id DESC);
      ALTER TABLE oc_audit ENABLE ROW LEVEL SECURITY;
      ALTER TABLE oc_audit FORCE ROW LEVEL SECURITY;
      CREATE POLICY oc_tenant_isolation ON oc_audit
        USING (org_id = (SELECT oc_current_org()) AND service_id = (SELECT oc_current_service()))
        WITH CHECK (org_id = (SELECT oc_current_org()) AND service_id = (SELECT oc_current_service()));
      -- The owner role (platform code) writes and lists organization-level entries.
      CREATE POLICY oc_platform_all ON oc_audit TO CURRENT_USER USING (true) WITH CHECK (true);
      GRANT SELECT, INSERT ON oc_audit TO ${APP_ROLE};`,
  },
]
