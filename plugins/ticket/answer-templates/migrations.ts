/**
 * Answer templates (T6) and their links to processing categories (many to many, ordered per
 * category). `seq` orders the list for cursor paging (ids are random); `search_text` is the
 * title and content folded for search (NFKC, lowercase), so full-width and mixed-case text match.
 * A processing category with linked templates is refused deletion (no cascade on that side).
 */
import type { Migration } from '../../../core/mod.ts'

export const answerTemplateMigration: Migration = {
  id: '0003_answer_templates',
  sql: `
    CREATE TABLE ticket_answer_templates (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      seq bigint GENERATED ALWAYS AS IDENTITY,
      title text NOT NULL,
      content text NOT NULL,
      search_text text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id)
    );
    CREATE INDEX ticket_answer_templates_by_seq ON ticket_answer_templates (service_id, seq DESC);
    SELECT oc_tenant_table('ticket_answer_templates');

    CREATE TABLE ticket_answer_template_links (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      category_kind text NOT NULL DEFAULT 'processing' CHECK (category_kind = 'processing'),
      category_id uuid NOT NULL,
      template_id uuid NOT NULL,
      position integer NOT NULL,
      PRIMARY KEY (service_id, category_id, template_id),
      FOREIGN KEY (service_id, category_kind, category_id) REFERENCES ticket_categories (service_id, kind, id),
      FOREIGN KEY (service_id, template_id) REFERENCES ticket_answer_templates (service_id, id) ON DELETE CASCADE
    );
    CREATE INDEX ticket_answer_template_links_by_template ON ticket_answer_template_links (service_id, template_id);
    SELECT oc_tenant_table('ticket_answer_template_links');`,
}
