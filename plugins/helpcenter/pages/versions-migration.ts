/**
 * The page version of each service (`helpcenter_page_versions`): one number for everything a
 * visitor's page is made of, moved in the writing transaction by statement-level triggers on every
 * table a page shows (content, categories, tags, attachments, string sets, external menus, themes
 * and the theme in use) and on the help center's settings row. Each trigger also sends
 * `oc_helpcenter_pages` with the service id, so every instance forgets what it keeps of that
 * service when the change commits (pages/page-state.ts). The read count is left out: counting a
 * view changes no page.
 */
import type { Migration } from '../../../core/mod.ts'

export const PAGES_CHANNEL = 'oc_helpcenter_pages'

/** Every help-center table a page shows; entries only on columns other than the read count. */
const SHOWN_TABLES = ['helpcenter_categories', 'helpcenter_notice_tags', 'helpcenter_entry_texts', 'helpcenter_entry_attachments', 'helpcenter_external_menus', 'helpcenter_string_sets', 'helpcenter_string_tags', 'helpcenter_string_set_tags', 'helpcenter_themes', 'helpcenter_theme_versions']
const ENTRY_COLUMNS = 'id, org_id, service_id, kind, category_id, tag_ids, is_top, is_recommend, published, publish_at, published_at, created_at, updated_at'

export const pageVersionsMigration: Migration = {
  id: 'pages_0001_page_versions',
  sql: `
    CREATE TABLE helpcenter_page_versions (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE PRIMARY KEY,
      version bigint NOT NULL DEFAULT 1
    );
    SELECT oc_tenant_table('helpcenter_page_versions');

    -- A write outside a tenant transaction (the owner role, a cascade) names no service: every
    -- instance then forgets every service, and the version rows stay as they are.
    CREATE OR REPLACE FUNCTION helpcenter_page_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      IF oc_current_service() IS NOT NULL THEN
        INSERT INTO helpcenter_page_versions (org_id, service_id) VALUES (oc_current_org(), oc_current_service())
          ON CONFLICT (service_id) DO UPDATE SET version = helpcenter_page_versions.version + 1;
      END IF;
      PERFORM pg_notify('${PAGES_CHANNEL}', coalesce(oc_current_service()::text, ''));
      RETURN NULL;
    END $f$;
    ${SHOWN_TABLES.map((table) => `CREATE TRIGGER ${table}_page_changed AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION helpcenter_page_changed();`).join('\n    ')}
    CREATE TRIGGER helpcenter_entries_page_changed AFTER INSERT OR DELETE ON helpcenter_entries FOR EACH STATEMENT EXECUTE FUNCTION helpcenter_page_changed();
    CREATE TRIGGER helpcenter_entries_page_updated AFTER UPDATE OF ${ENTRY_COLUMNS} ON helpcenter_entries FOR EACH STATEMENT EXECUTE FUNCTION helpcenter_page_changed();
    -- The core's settings table holds every plugin's row: only the help center's moves its pages.
    CREATE TRIGGER helpcenter_settings_page_changed AFTER INSERT OR UPDATE ON oc_plugin_settings FOR EACH ROW WHEN (NEW.plugin_id = 'helpcenter') EXECUTE FUNCTION helpcenter_page_changed();
    CREATE TRIGGER helpcenter_settings_page_removed AFTER DELETE ON oc_plugin_settings FOR EACH ROW WHEN (OLD.plugin_id = 'helpcenter') EXECUTE FUNCTION helpcenter_page_changed();`,
}
