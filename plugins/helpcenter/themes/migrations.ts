/**
 * Themes (W2). A theme is a device type (PC or mobile), whether it is active and in use, and
 * its current version number; what it holds (title, description, templates, CSS, script) is in
 * its versions, one per save, never changed afterwards (a rollback saves an older one's
 * content as a new version). At most one theme per device type is in use (a partial unique
 * index); with none, the service shows the default theme.
 */
import type { Migration } from '../../../core/mod.ts'

export const themeMigration: Migration = {
  id: 'themes_0002_themes',
  sql: `
    CREATE TABLE helpcenter_themes (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      seq bigint GENERATED ALWAYS AS IDENTITY,
      device text NOT NULL CHECK (device IN ('pc', 'mobile')),
      active boolean NOT NULL DEFAULT true,
      in_use boolean NOT NULL DEFAULT false,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      CHECK (active OR NOT in_use)
    );
    CREATE UNIQUE INDEX helpcenter_themes_in_use ON helpcenter_themes (service_id, device) WHERE in_use;
    SELECT oc_tenant_table('helpcenter_themes');

    CREATE TABLE helpcenter_theme_versions (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      theme_id uuid NOT NULL,
      version integer NOT NULL,
      title text NOT NULL,
      description text NOT NULL,
      templates jsonb NOT NULL,
      css text NOT NULL,
      script text NOT NULL,
      restored_from integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, theme_id, version),
      FOREIGN KEY (service_id, theme_id) REFERENCES helpcenter_themes (service_id, id) ON DELETE CASCADE
    );
    SELECT oc_tenant_table('helpcenter_theme_versions');`,
}
