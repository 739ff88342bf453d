/**
 * The category trees (T2, T3): one table for both kinds. A parent must be of the same kind and
 * the same service (composite key), and a category with children cannot be deleted (no cascade),
 * so the database itself keeps every tree whole. Deleting the service removes its trees.
 */
import type { Migration } from '../../../core/mod.ts'

export const categoryMigration: Migration = {
  id: '0001_categories',
  sql: `
    CREATE TABLE ticket_categories (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('intake', 'processing')),
      parent_id uuid,
      names jsonb NOT NULL,
      active boolean NOT NULL DEFAULT true,
      order_no integer NOT NULL CHECK (order_no >= 1),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      UNIQUE (service_id, kind, id),
      FOREIGN KEY (service_id, kind, parent_id) REFERENCES ticket_categories (service_id, kind, id)
    );
    CREATE INDEX ticket_categories_by_parent ON ticket_categories (service_id, kind, parent_id, order_no);
    SELECT oc_tenant_table('ticket_categories');`,
}
