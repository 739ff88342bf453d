/**
 * The visitors' tables (W5):
 * - `helpcenter_visitor_sessions`: signed-in members' sessions and the short-lived hand-offs of
 *   the server flow (`kind`), by the SHA-256 of their token (the cookie itself is never stored);
 *   the member's profile is sealed under the tenant key where the platform has a master key;
 * - `helpcenter_used_sign_in_tokens`: sign-in tokens and JWT ids already used, kept until they
 *   would expire anyway, so a replay is refused;
 * - `helpcenter_visitor_keys`: one random key per service that signs the CSRF tokens of forms.
 */
import type { Migration } from '../../../core/mod.ts'

export const visitorsMigration: Migration = {
  id: 'visitors_0001_sessions',
  sql: `
    CREATE TABLE helpcenter_visitor_sessions (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL,
      token_hash text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('session', 'handoff')),
      usercode text NOT NULL,
      profile text NOT NULL,
      scheme text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (service_id, token_hash)
    );
    CREATE INDEX helpcenter_visitor_sessions_expiry ON helpcenter_visitor_sessions (service_id, expires_at);
    SELECT oc_tenant_table('helpcenter_visitor_sessions');

    CREATE TABLE helpcenter_used_sign_in_tokens (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL,
      token_hash text NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (service_id, token_hash)
    );
    SELECT oc_tenant_table('helpcenter_used_sign_in_tokens');

    CREATE TABLE helpcenter_visitor_keys (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL,
      csrf_key text NOT NULL,
      PRIMARY KEY (service_id)
    );
    SELECT oc_tenant_table('helpcenter_visitor_keys');`,
}
