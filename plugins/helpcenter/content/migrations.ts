/**
 * The help center's content (W9): notices and FAQ entries, their categories, notice tags,
 * translations, attachments and FAQ votes; and the search over them.
 *
 * Notices and FAQ entries share one table (`kind`): both are a translated, categorised, pinnable,
 * published-on-schedule text with attachments and a read count, and one search covers both.
 * `number` is the numeric id the seed product's content API names them by (noticeId, helpDocId,
 * categoryId, tagId). An entry is visible to visitors when `published` and `publish_at` (if set)
 * has come, read at query time, so scheduled publishing needs no job.
 *
 * Search (`helpcenter_search`): under row-level security `@@` is not leakproof, so as a condition
 * of the tenant's own query it is checked row by row. The function runs as the owner, scoped by
 * hand to the transaction's tenant, reads the text index and returns ids only, ranked; the
 * caller then reads those entries by key under the policies, so it can narrow a tenant's content
 * but never widen it (outside a tenant transaction it returns nothing).
 */
import { APP_ROLE, bigramSearchVectorSql, type Migration } from '../../../core/mod.ts'

const tenantColumns = `org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),`

export const contentTablesMigration: Migration = {
  id: 'content_0001_notices_faq',
  sql: `
    CREATE TABLE helpcenter_categories (
      ${tenantColumns}
      number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      kind text NOT NULL CHECK (kind IN ('notice', 'faq')),
      parent_id uuid,
      level smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
      names jsonb NOT NULL,
      order_no integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      FOREIGN KEY (service_id, parent_id) REFERENCES helpcenter_categories (service_id, id)
    );
    CREATE INDEX helpcenter_categories_order ON helpcenter_categories (service_id, kind, parent_id, order_no);
    SELECT oc_tenant_table('helpcenter_categories');

    CREATE TABLE helpcenter_notice_tags (
      ${tenantColumns}
      number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      names jsonb NOT NULL,
      order_no integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id)
    );
    SELECT oc_tenant_table('helpcenter_notice_tags');

    CREATE TABLE helpcenter_entries (
      ${tenantColumns}
      number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      kind text NOT NULL CHECK (kind IN ('notice', 'faq')),
      category_id uuid,
      tag_ids uuid[] NOT NULL DEFAULT '{}',
      is_top boolean NOT NULL DEFAULT false,
      is_recommend boolean NOT NULL DEFAULT false,
      published boolean NOT NULL DEFAULT false,
      publish_at timestamptz,
      published_at timestamptz,
      read_count integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      FOREIGN KEY (service_id, category_id) REFERENCES helpcenter_categories (service_id, id)
    );
    CREATE INDEX helpcenter_entries_list ON helpcenter_entries (service_id, kind, is_top DESC, updated_at DESC);
    CREATE INDEX helpcenter_entries_category ON helpcenter_entries (service_id, category_id);
    SELECT oc_tenant_table('helpcenter_entries');

${bigramSearchVectorSql('helpcenter_search_vector', ['title', 'body'])}

    CREATE TABLE helpcenter_entry_texts (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      entry_id uuid NOT NULL,
      language text NOT NULL,
      title text NOT NULL,
      html text NOT NULL,
      body text NOT NULL,
      title_search tsvector GENERATED ALWAYS AS (helpcenter_search_vector(title, '')) STORED,
      search tsvector GENERATED ALWAYS AS (helpcenter_search_vector(title, body)) STORED,
      PRIMARY KEY (service_id, entry_id, language),
      FOREIGN KEY (service_id, entry_id) REFERENCES helpcenter_entries (service_id, id) ON DELETE CASCADE
    );
    CREATE INDEX helpcenter_entry_texts_search ON helpcenter_entry_texts USING gin (search);
    SELECT oc_tenant_table('helpcenter_entry_texts');

    CREATE TABLE helpcenter_entry_attachments (
      ${tenantColumns}
      entry_id uuid NOT NULL,
      blob_key text NOT NULL,
      file_name text NOT NULL,
      content_type text NOT NULL,
      size integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      FOREIGN KEY (service_id, entry_id) REFERENCES helpcenter_entries (service_id, id) ON DELETE CASCADE
    );
    CREATE INDEX helpcenter_entry_attachments_entry ON helpcenter_entry_attachments (service_id, entry_id, created_at);
    SELECT oc_tenant_table('helpcenter_entry_attachments');

    -- One vote per voter per entry per language; the voter key is stored hashed (it may be an address).
    CREATE TABLE helpcenter_faq_votes (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      entry_id uuid NOT NULL,
      language text NOT NULL,
      voter text NOT NULL,
      helpful boolean NOT NULL,
      voted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, entry_id, language, voter),
      FOREIGN KEY (service_id, entry_id) REFERENCES helpcenter_entries (service_id, id) ON DELETE CASCADE
    );
    SELECT oc_tenant_table('helpcenter_faq_votes');

    -- Ids of the tenant's entries of these kinds whose text in this language matches the query
    -- (to_tsquery('simple') text as the core's searchQuery builds it), best first: a match in the
    -- title weighs double. visible_only keeps the published entries whose time has come.
    CREATE FUNCTION helpcenter_search(kinds text[], lang text, query text, visible_only boolean) RETURNS uuid[]
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
      AS $f$
        SELECT coalesce(array_agg(found.id ORDER BY found.rank DESC, found.updated_at DESC, found.id), '{}')
          FROM (
            SELECT e.id, e.updated_at, 2 * ts_rank(t.title_search, q) + ts_rank(t.search, q) AS rank
              FROM helpcenter_entry_texts t
              JOIN helpcenter_entries e ON e.service_id = t.service_id AND e.id = t.entry_id,
                   to_tsquery('simple', query) AS q
              WHERE t.org_id = oc_current_org() AND t.service_id = oc_current_service()
                AND e.org_id = oc_current_org() AND e.service_id = oc_current_service()
                AND t.language = lang AND e.kind = ANY(kinds) AND t.search @@ q
                AND (NOT visible_only OR (e.published AND (e.publish_at IS NULL OR e.publish_at <= now())))
              ORDER BY rank DESC, e.updated_at DESC
              LIMIT 1000
          ) AS found
      $f$;
    REVOKE ALL ON FUNCTION helpcenter_search(text[], text, text, boolean) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION helpcenter_search(text[], text, text, boolean) TO ${APP_ROLE};`,
}

export const contentMigrations: Migration[] = [contentTablesMigration]
