import type { Migration } from '../storage/migrations.ts'
import { APP_ROLE } from '../storage/db.ts'

/**
 * Members, sessions, agents, groups, service keys and IP allowlists (C3–C6). Ids continue the
 * core's sequence.
 *
 * Organization-level tables (members, sessions, refresh tokens, invitations, sign-in throttling,
 * secrets) belong to the platform: nothing is granted to the app role, so no tenant transaction
 * can reach them (but the ids of the current organization's members, through a view). Service-level tables are tenant tables under row-level security.
 *
 * Every instance caches what authentication reads (members, sessions, agent grants, service
 * keys, Open API switches and allowlists); triggers on those tables NOTIFY `oc_identity` so a
 * change made anywhere empties every cache at once. Session inserts (every sign-in) and refresh
 * tokens do not notify: nothing cached depends on them, and a notice per sign-in would empty
 * every instance's cache all day long.
 */
export const identityMigrations: Migration[] = [
  {
    id: '0005_members',
    sql: `
      CREATE OR REPLACE FUNCTION oc_notify_identity() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        PERFORM pg_notify('oc_identity', TG_TABLE_NAME);
        RETURN NULL;
      END $f$;

      CREATE TABLE oc_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        org_id uuid NOT NULL REFERENCES oc_organizations(id) ON DELETE CASCADE,
        email text NOT NULL,
        name text NOT NULL DEFAULT '',
        org_role text NOT NULL CHECK (org_role IN ('owner', 'member')),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (org_id, email),
        UNIQUE (org_id, id)
      );
      -- Only what authentication caches: a rehash on sign-in must not empty every cache.
      CREATE TRIGGER oc_members_changed AFTER UPDATE OF email, org_role OR DELETE ON oc_members
        FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_identity();

      -- A session is one refresh-token family: every rotation stays in it, and reuse of a
      -- rotated token revokes it whole. Access tokens name their session (sid) and die with it.
      CREATE TABLE oc_member_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        org_id uuid NOT NULL,
        member_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        ip text,
        user_agent text,
        FOREIGN KEY (org_id, member_id) REFERENCES oc_members(org_id, id) ON DELETE CASCADE
      );
      CREATE INDEX oc_member_sessions_member ON oc_member_sessions (member_id) WHERE revoked_at IS NULL;
      CREATE TRIGGER oc_member_sessions_changed AFTER UPDATE OR DELETE ON oc_member_sessions
        FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_identity();

      CREATE TABLE oc_refresh_tokens (
        token_hash text PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES oc_member_sessions(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz
      );
      CREATE INDEX oc_refresh_tokens_session ON oc_refresh_tokens (session_id);

      -- The token is made when the mail is sent (token_hash stays NULL until then), so the raw
      -- token never rests anywhere but in the invitee's mailbox.
      CREATE TABLE oc_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        org_id uuid NOT NULL REFERENCES oc_organizations(id) ON DELETE CASCADE,
        email text NOT NULL,
        org_role text NOT NULL CHECK (org_role IN ('owner', 'member')),
        invited_by text,
        token_hash text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        sent_at timestamptz,
        accepted_at timestamptz,
        member_id uuid,
        revoked_at timestamptz
      );
      CREATE UNIQUE INDEX oc_invitations_pending ON oc_invitations (org_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL;

      -- Failed sign-ins per account and per client address, shared by every instance.
      CREATE TABLE oc_login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        last_failure_at timestamptz NOT NULL,
        locked_until timestamptz
      );

      -- Platform secrets made on first start (the access-token key when none is configured).
      CREATE TABLE oc_identity_secrets (
        name text PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Organization-level events (an invitation has no service) go through the same outbox:
      -- their service_id is NULL, which no tenant transaction's policy can see.
      ALTER TABLE oc_outbox ALTER COLUMN service_id DROP NOT NULL;`,
  },
  {
    id: '0006_agents',
    sql: `
      CREATE TABLE oc_agents (
        org_id uuid NOT NULL,
        service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'agent')),
        permissions text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (service_id, id),
        UNIQUE (service_id, member_id),
        FOREIGN KEY (org_id, member_id) REFERENCES oc_members(org_id, id) ON DELETE CASCADE
      );
      CREATE INDEX oc_agents_member ON oc_agents (member_id);
      SELECT oc_tenant_table('oc_agents');
      CREATE TRIGGER oc_agents_changed AFTER INSERT OR UPDATE OR DELETE ON oc_agents
        FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_identity();

      CREATE TABLE oc_agent_groups (
        org_id uuid NOT NULL,
        service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (service_id, id),
        UNIQUE (service_id, name)
      );
      SELECT oc_tenant_table('oc_agent_groups');

      CREATE TABLE oc_agent_group_members (
        org_id uuid NOT NULL,
        service_id uuid NOT NULL,
        group_id uuid NOT NULL,
        agent_id uuid NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (service_id, group_id, agent_id),
        FOREIGN KEY (service_id, group_id) REFERENCES oc_agent_groups(service_id, id) ON DELETE CASCADE,
        FOREIGN KEY (service_id, agent_id) REFERENCES oc_agents(service_id, id) ON DELETE CASCADE
      );
      CREATE INDEX oc_agent_group_members_agent ON oc_agent_group_members (service_id, agent_id);
      SELECT oc_tenant_table('oc_agent_group_members');`,
  },
  {
    id: '0007_open_api',
    sql: `
      CREATE TABLE oc_open_api (
        org_id uuid NOT NULL,
        service_id uuid PRIMARY KEY REFERENCES oc_services(id) ON DELETE CASCADE,
        enabled boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      SELECT oc_tenant_table('oc_open_api');

      CREATE TABLE oc_service_keys (
        org_id uuid NOT NULL,
        service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        hint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        replaced_by uuid,
        PRIMARY KEY (service_id, id)
      );
      SELECT oc_tenant_table('oc_service_keys');

      CREATE TABLE oc_ip_allowlist (
        org_id uuid NOT NULL,
        service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
        cidr text NOT NULL,
        note text NOT NULL DEFAULT '',
        -- The order the administrator gave, kept for display.
        position integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (service_id, cidr)
      );
      SELECT oc_tenant_table('oc_ip_allowlist');

      CREATE TRIGGER oc_open_api_changed AFTER INSERT OR UPDATE OR DELETE ON oc_open_api
        FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_identity();
      CREATE TRIGGER oc_service_keys_changed AFTER INSERT OR UPDATE OR DELETE ON oc_service_keys
        FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_identity();
      CREATE TRIGGER oc_ip_allowlist_changed AFTER INSERT OR UPDATE OR DELETE ON oc_ip_allowlist
        FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_identity();`,
  },
  {
    // The service key itself, sealed under the tenant key (AES-GCM, context `service-key:<id>`),
    // beside its hash: the compat Open API signs requests with the key (HMAC), so the server must
    // be able to recompute the signature. Keys made before this column, or without a master key,
    // have none and cannot sign such requests until they are rotated.
    id: '0013_service_keys_sealed',
    sql: `ALTER TABLE oc_service_keys ADD COLUMN sealed_key text;`,
  },
  {
    // The ids of the current organization's members, for tenant transactions (which cannot read
    // oc_members): a body naming a member (a ticket's requester) is checked where it is written
    // (core/tenancy/references.ts). Outside a tenant transaction oc_current_org() is NULL: no rows.
    id: '0016_tenant_member_ids',
    sql: `
      CREATE VIEW oc_tenant_members WITH (security_barrier) AS
        SELECT id FROM oc_members WHERE org_id = (SELECT oc_current_org());
      GRANT SELECT ON oc_tenant_members TO ${APP_ROLE};`,
  },
  {
    // Per-agent settings that plugins declare (core/identity/agent-settings.ts), one object per
    // plugin id. Databases made before it also carry the per-agent columns a plugin's settings
    // replaced; that plugin's own migration moves their values here and drops them.
    id: '0018_agent_plugin_settings',
    sql: `ALTER TABLE oc_agents ADD COLUMN plugin_settings jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(plugin_settings) = 'object');`,
  },
]
