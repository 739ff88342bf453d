/**
 * String sets (W6). A row of `helpcenter_string_sets` is either a custom set (`system` false:
 * its code and texts) or a service's edit of a system set (`system` true: the texts that
 * replace the defaults of strings/system.ts, which are never stored). Tags sort both kinds;
 * a set's tags are linked by code, so a system set with no edit can carry tags too.
 */
import type { Migration } from '../../../core/mod.ts'

export const stringSetMigration: Migration = {
  id: 'themes_0001_string_sets',
  sql: `
    CREATE TABLE helpcenter_string_sets (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      code text NOT NULL,
      system boolean NOT NULL,
      texts jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, code)
    );
    SELECT oc_tenant_table('helpcenter_string_sets');

    CREATE TABLE helpcenter_string_tags (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      UNIQUE (service_id, name)
    );
    SELECT oc_tenant_table('helpcenter_string_tags');

    CREATE TABLE helpcenter_string_set_tags (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      code text NOT NULL,
      tag_id uuid NOT NULL,
      PRIMARY KEY (service_id, code, tag_id),
      FOREIGN KEY (service_id, tag_id) REFERENCES helpcenter_string_tags (service_id, id) ON DELETE CASCADE
    );
    SELECT oc_tenant_table('helpcenter_string_set_tags');`,
}
