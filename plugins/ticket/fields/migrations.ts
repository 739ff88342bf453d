/**
 * Field definitions (T5), the codes ever used (a code stays taken after its field is deleted,
 * so old ticket values never get mistaken for a new field's), and the ordered customer fields
 * of each intake category. Composite keys let the database itself refuse attaching an agent
 * field, or attaching to a processing category.
 */
import { APP_ROLE, type Migration } from '../../../core/mod.ts'

export const fieldMigration: Migration = {
  id: '0002_fields',
  sql: `
    CREATE TABLE ticket_fields (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      code text NOT NULL,
      audience text NOT NULL CHECK (audience IN ('customer', 'agent')),
      type text NOT NULL,
      system_set text CHECK (system_set IN ('helpcenter', 'phone')),
      option_source text,
      names jsonb NOT NULL,
      descriptions jsonb NOT NULL DEFAULT '{}',
      placeholders jsonb NOT NULL DEFAULT '{}',
      required boolean NOT NULL,
      personal_info boolean NOT NULL,
      visibility text CHECK (visibility IN ('admins', 'agents')),
      details jsonb NOT NULL DEFAULT '{}',
      position integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      UNIQUE (service_id, code),
      UNIQUE (service_id, audience, id),
      CHECK ((audience = 'agent') = (visibility IS NOT NULL AND position IS NOT NULL))
    );
    SELECT oc_tenant_table('ticket_fields');

    CREATE TABLE ticket_field_codes (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      code text NOT NULL,
      claimed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, code)
    );
    SELECT oc_tenant_table('ticket_field_codes');
    -- A claimed code is never released: the tenant role may add codes, not remove or change them.
    REVOKE UPDATE, DELETE ON ticket_field_codes FROM ${APP_ROLE};

    CREATE TABLE ticket_category_fields (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      category_kind text NOT NULL DEFAULT 'intake' CHECK (category_kind = 'intake'),
      category_id uuid NOT NULL,
      field_audience text NOT NULL DEFAULT 'customer' CHECK (field_audience = 'customer'),
      field_id uuid NOT NULL,
      position integer NOT NULL,
      PRIMARY KEY (service_id, category_id, field_id),
      FOREIGN KEY (service_id, category_kind, category_id) REFERENCES ticket_categories (service_id, kind, id) ON DELETE CASCADE,
      FOREIGN KEY (service_id, field_audience, field_id) REFERENCES ticket_fields (service_id, audience, id) ON DELETE CASCADE
    );
    CREATE INDEX ticket_category_fields_by_field ON ticket_category_fields (service_id, field_id);
    SELECT oc_tenant_table('ticket_category_fields');`,
}

/**
 * Field options name their display text `names`, as categories and fields do (one API vocabulary);
 * options stored before the rename said `labels`.
 */
export const fieldOptionNamesMigration: Migration = {
  id: '0014_field_option_names',
  sql: `
    UPDATE ticket_fields
       SET details = jsonb_set(details, '{options}', (
             SELECT jsonb_agg(CASE WHEN o ? 'labels' THEN (o - 'labels') || jsonb_build_object('names', o->'labels') ELSE o END ORDER BY n)
               FROM jsonb_array_elements(details->'options') WITH ORDINALITY AS e(o, n)))
     WHERE jsonb_typeof(details->'options') = 'array' AND jsonb_array_length(details->'options') > 0;`,
}
