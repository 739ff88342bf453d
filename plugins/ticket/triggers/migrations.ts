/**
 * Triggers (T4): the ordered rules, their durable round-robin cursors, the execution log, and a
 * per-service version number that says when the compiled triggers a process caches are stale.
 *
 * - `ticket_triggers`: conditions and results as jsonb (validated on save); `position` orders
 *   them (0-based, rewritten whole on reorder).
 * - `ticket_trigger_cursors`: the next round-robin slot per trigger; the runner claims a slot by
 *   updating this row in the ticket's transaction, so the row lock keeps two concurrent tickets
 *   from taking the same slot, and a crash loses nothing (the claim commits with the assignment).
 * - `ticket_trigger_runs`: one row per trigger that matched an event, with what its results did
 *   and any errors; unique per (event, trigger), so a redelivered event never runs a trigger twice.
 * - `ticket_trigger_state.version`: bumped by every trigger write and, through row triggers, by
 *   every category or field change (compiled conditions depend on the category trees and on field
 *   types). One primary-key read per event tells a process whether its cache is current.
 */
import type { Migration } from '../../../core/mod.ts'

export const triggerMigration: Migration = {
  id: '0008_triggers',
  sql: `
    CREATE TABLE ticket_triggers (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      position integer NOT NULL,
      title text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      conditions jsonb NOT NULL,
      results jsonb NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id)
    );
    CREATE INDEX ticket_triggers_by_position ON ticket_triggers (service_id, position);
    SELECT oc_tenant_table('ticket_triggers');

    CREATE TABLE ticket_trigger_cursors (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL,
      trigger_id uuid NOT NULL,
      next_slot bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (service_id, trigger_id),
      FOREIGN KEY (service_id, trigger_id) REFERENCES ticket_triggers (service_id, id) ON DELETE CASCADE
    );
    SELECT oc_tenant_table('ticket_trigger_cursors');

    CREATE TABLE ticket_trigger_runs (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      trigger_id uuid NOT NULL,
      ticket_id uuid NOT NULL,
      event_id uuid NOT NULL,
      event_kind text NOT NULL,
      ran_at timestamptz NOT NULL DEFAULT now(),
      results jsonb NOT NULL DEFAULT '[]',
      errors jsonb NOT NULL DEFAULT '[]',
      PRIMARY KEY (service_id, id),
      UNIQUE (service_id, event_id, trigger_id),
      FOREIGN KEY (service_id, trigger_id) REFERENCES ticket_triggers (service_id, id) ON DELETE CASCADE,
      FOREIGN KEY (service_id, ticket_id) REFERENCES tickets (service_id, id) ON DELETE CASCADE
    );
    CREATE INDEX ticket_trigger_runs_by_trigger ON ticket_trigger_runs (service_id, trigger_id, ran_at DESC, id DESC);
    SELECT oc_tenant_table('ticket_trigger_runs');

    CREATE TABLE ticket_trigger_state (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      version bigint NOT NULL DEFAULT 1,
      PRIMARY KEY (service_id)
    );
    SELECT oc_tenant_table('ticket_trigger_state');

    CREATE OR REPLACE FUNCTION ticket_trigger_config_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
    DECLARE
      row_org uuid;
      row_service uuid;
    BEGIN
      IF TG_OP = 'DELETE' THEN row_org := OLD.org_id; row_service := OLD.service_id;
      ELSE row_org := NEW.org_id; row_service := NEW.service_id; END IF;
      INSERT INTO ticket_trigger_state (org_id, service_id, version) VALUES (row_org, row_service, 2)
        ON CONFLICT (service_id) DO UPDATE SET version = ticket_trigger_state.version + 1;
      RETURN NULL;
    END $f$;
    CREATE TRIGGER ticket_triggers_changed AFTER INSERT OR UPDATE OR DELETE ON ticket_triggers
      FOR EACH ROW EXECUTE FUNCTION ticket_trigger_config_changed();
    CREATE TRIGGER ticket_categories_changed_for_triggers AFTER INSERT OR UPDATE OR DELETE ON ticket_categories
      FOR EACH ROW EXECUTE FUNCTION ticket_trigger_config_changed();
    CREATE TRIGGER ticket_fields_changed_for_triggers AFTER INSERT OR UPDATE OR DELETE ON ticket_fields
      FOR EACH ROW EXECUTE FUNCTION ticket_trigger_config_changed();`,
}

/**
 * Deleting a service (or its organization) cascades to its triggers, categories and fields, and
 * each deleted row fired the version bump, which then inserted a state row for the service being
 * deleted: a foreign-key violation, so the delete answered 500. A deleted row's bump now gives
 * way when its service is gone; the check is the insert's own foreign key (a cascaded row's
 * trigger runs at the same depth as any other, and the tenant role may not read `oc_services`),
 * so the subtransaction it costs is paid by deletes only.
 */
export const triggerStateCascadeMigration: Migration = {
  id: '0017_trigger_state_cascade',
  sql: `
    CREATE OR REPLACE FUNCTION ticket_trigger_config_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        BEGIN
          INSERT INTO ticket_trigger_state (org_id, service_id, version) VALUES (OLD.org_id, OLD.service_id, 2)
            ON CONFLICT (service_id) DO UPDATE SET version = ticket_trigger_state.version + 1;
        EXCEPTION WHEN foreign_key_violation THEN
          NULL; -- the service is being deleted with this row: no cache to tell
        END;
      ELSE
        INSERT INTO ticket_trigger_state (org_id, service_id, version) VALUES (NEW.org_id, NEW.service_id, 2)
          ON CONFLICT (service_id) DO UPDATE SET version = ticket_trigger_state.version + 1;
      END IF;
      RETURN NULL;
    END $f$;`,
}
