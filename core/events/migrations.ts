import { APP_ROLE } from '../storage/db.ts'
import type { Migration } from '../storage/migrations.ts'
import { jobMigrations } from '../jobs/migrations.ts'

/**
 * Deliveries, dead letters, scheduler leases and web hooks (C7, C11, I5). Ids continue the
 * core's sequence from 0010, leaving 0005–0009 to identity.
 *
 * - `oc_outbox.fanned_out_at`: set when the dispatcher has turned an event into deliveries; the
 *   partial index keeps "events not yet fanned out" cheap however long the outbox grows.
 * - `oc_event_deliveries`: one row per (event, subscriber), its state (`pending` → `delivered`,
 *   or `dead` after too many failures) and when it is next due. While an instance works on a
 *   delivery, `next_attempt_at` is its lease: if the instance dies, the row comes due again.
 * - `oc_delivery_attempts`: the log of every attempt (time, duration, status code, error).
 * - A statement trigger on `oc_outbox` NOTIFYs `oc_events`, waking every instance's dispatcher
 *   (0015: with an empty payload; listeners only need to know there is news, see below).
 */
export const eventMigrations: Migration[] = [
  {
    id: '0010_event_deliveries',
    sql: `
      ALTER TABLE oc_outbox ADD COLUMN fanned_out_at timestamptz;
      CREATE INDEX oc_outbox_not_fanned_out ON oc_outbox (id) WHERE fanned_out_at IS NULL;

      CREATE OR REPLACE FUNCTION oc_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        PERFORM pg_notify('oc_events', (SELECT max(id)::text FROM inserted));
        RETURN NULL;
      END $f$;
      CREATE TRIGGER oc_outbox_notify AFTER INSERT ON oc_outbox
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_outbox();

      CREATE TABLE oc_event_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        org_id uuid NOT NULL,
        -- NULL for organization-level core events (e.g. invitations): no service's tenant sees them.
        service_id uuid REFERENCES oc_services(id) ON DELETE CASCADE,
        outbox_id bigint NOT NULL REFERENCES oc_outbox(id) ON DELETE CASCADE,
        subscriber text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        -- Attempts made before the last replay: the retry budget and back-off count from here.
        retry_base integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        last_status integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        UNIQUE (outbox_id, subscriber)
      );
      CREATE INDEX oc_event_deliveries_due ON oc_event_deliveries (next_attempt_at) WHERE state = 'pending';
      CREATE INDEX oc_event_deliveries_service ON oc_event_deliveries (service_id, state, id DESC);
      CREATE INDEX oc_event_deliveries_subscriber ON oc_event_deliveries (service_id, subscriber, id DESC);
      SELECT oc_tenant_table('oc_event_deliveries');

      CREATE TABLE oc_delivery_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        org_id uuid NOT NULL,
        service_id uuid REFERENCES oc_services(id) ON DELETE CASCADE,
        delivery_id bigint NOT NULL REFERENCES oc_event_deliveries(id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        ok boolean NOT NULL,
        status_code integer,
        error text
      );
      CREATE INDEX oc_delivery_attempts_delivery ON oc_delivery_attempts (delivery_id, id);
      SELECT oc_tenant_table('oc_delivery_attempts');`,
  },
  ...jobMigrations,
  {
    id: '0012_webhooks',
    sql: `
      CREATE TABLE oc_webhook_subscriptions (
        org_id uuid NOT NULL,
        service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        event_types text[] NOT NULL,
        description text NOT NULL DEFAULT '',
        enabled boolean NOT NULL DEFAULT true,
        -- The signing key: the platform must recompute signatures, so it is kept, not hashed.
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX oc_webhook_subscriptions_service ON oc_webhook_subscriptions (service_id) WHERE enabled;
      SELECT oc_tenant_table('oc_webhook_subscriptions');
      -- Tenant code may set the secret but never read it back: only the dispatcher (owner) signs.
      REVOKE SELECT ON oc_webhook_subscriptions FROM ${APP_ROLE};
      GRANT SELECT (org_id, service_id, id, url, event_types, description, enabled, created_at, updated_at) ON oc_webhook_subscriptions TO ${APP_ROLE};
      -- Instances cache subscriptions (URL, secret) while delivering; this tells them all to forget.
      CREATE OR REPLACE FUNCTION oc_notify_webhooks() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        PERFORM pg_notify('oc_webhooks', TG_OP);
        RETURN NULL;
      END $f$;
      CREATE TRIGGER oc_webhook_subscriptions_changed AFTER INSERT OR UPDATE OR DELETE ON oc_webhook_subscriptions
        FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_webhooks();`,
  },
]

/**
 * The outbox wake-up without a payload. The newest id it carried was never read (a dispatcher
 * looks for every event not yet fanned out), yet it cost each event-writing statement a
 * transition table and a scan of it. PostgreSQL folds equal notifications of one transaction
 * into one, so a transaction that writes many events still sends one.
 */
export const outboxNotifyWithoutPayload: Migration = {
  id: '0015_outbox_notify_without_payload',
  sql: `
    DROP TRIGGER oc_outbox_notify ON oc_outbox;
    CREATE OR REPLACE FUNCTION oc_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      PERFORM pg_notify('oc_events', '');
      RETURN NULL;
    END $f$;
    CREATE TRIGGER oc_outbox_notify AFTER INSERT ON oc_outbox FOR EACH STATEMENT EXECUTE FUNCTION oc_notify_outbox();`,
}
