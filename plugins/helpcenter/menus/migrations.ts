/** External menus (W7): links the help center's menu shows after its own items, in `position` order. */
import type { Migration } from '../../../core/mod.ts'

export const menusMigration: Migration = {
  id: 'visitors_0003_external_menus',
  sql: `
    CREATE TABLE helpcenter_external_menus (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      titles jsonb NOT NULL,
      url text NOT NULL,
      new_window boolean NOT NULL DEFAULT false,
      position integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id)
    );
    SELECT oc_tenant_table('helpcenter_external_menus');`,
}
