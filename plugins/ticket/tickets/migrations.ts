/**
 * Tickets (T1): the ticket rows, the per-service number counter, the conversation (customer
 * replies, agent replies, internal notes), attachments and the change history.
 *
 * Personal-info field values never reach these tables in plaintext: they sit encrypted in
 * `secret_fields` (code -> sealed value) with their blind-index tokens (`<code>:<token>`, one
 * per value) in `secret_index` for exact-match search. `search` is a generated tsvector over
 * title and content with the 'simple' configuration: one lower-cased lexeme per word as written
 * (PostgreSQL has no Korean stemmer), to which 0021_ticket_search_bigrams adds the bigrams of
 * Hangul runs so that part of a Korean word finds it (see tickets/search.ts).
 */
import { APP_ROLE, bigramSearchVectorSql, type Migration } from '../../../core/mod.ts'

export const ticketMigration: Migration = {
  id: '0005_tickets',
  sql: `
    CREATE TABLE ticket_counters (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      last_number bigint NOT NULL,
      PRIMARY KEY (service_id)
    );
    SELECT oc_tenant_table('ticket_counters');

    CREATE TABLE tickets (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      number bigint NOT NULL,
      public_id text NOT NULL,
      title text NOT NULL,
      content text NOT NULL,
      status text NOT NULL CHECK (status IN ('new', 'open', 'pending', 'on-hold', 'completed')),
      channel text NOT NULL CHECK (channel IN ('web', 'email', 'api', 'phone', 'chat', 'twitter', 'kakao', 'sms')),
      language text,
      requester_email text,
      requester_name text,
      requester_member_id uuid,
      requester_usercode text,
      assignee_agent_id uuid,
      assignee_group_id uuid,
      intake_kind text NOT NULL DEFAULT 'intake' CHECK (intake_kind = 'intake'),
      intake_category_id uuid,
      processing_kind text NOT NULL DEFAULT 'processing' CHECK (processing_kind = 'processing'),
      processing_category_id uuid,
      fields jsonb NOT NULL DEFAULT '{}',
      secret_fields jsonb NOT NULL DEFAULT '{}',
      secret_index text[] NOT NULL DEFAULT '{}',
      created_by_type text NOT NULL,
      created_by_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      search tsvector GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || content)) STORED,
      PRIMARY KEY (service_id, id),
      UNIQUE (service_id, number),
      UNIQUE (service_id, public_id),
      -- No cascade: a category with tickets is refused by the usage check before this fires.
      FOREIGN KEY (service_id, intake_kind, intake_category_id) REFERENCES ticket_categories (service_id, kind, id),
      FOREIGN KEY (service_id, processing_kind, processing_category_id) REFERENCES ticket_categories (service_id, kind, id)
    );
    CREATE INDEX tickets_by_created ON tickets (service_id, created_at DESC, number DESC);
    CREATE INDEX tickets_by_updated ON tickets (service_id, updated_at DESC, number DESC);
    CREATE INDEX tickets_by_status ON tickets (service_id, status, created_at DESC);
    CREATE INDEX tickets_by_assignee ON tickets (service_id, assignee_agent_id);
    CREATE INDEX tickets_by_group ON tickets (service_id, assignee_group_id);
    CREATE INDEX tickets_by_intake ON tickets (service_id, intake_category_id);
    CREATE INDEX tickets_by_processing ON tickets (service_id, processing_category_id);
    CREATE INDEX tickets_by_usercode ON tickets (service_id, requester_usercode);
    CREATE INDEX tickets_search ON tickets USING gin (search);
    CREATE INDEX tickets_secret_index ON tickets USING gin (secret_index);
    SELECT oc_tenant_table('tickets');

    CREATE TABLE ticket_entries (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      ticket_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('customer-reply', 'agent-reply', 'note')),
      body text NOT NULL,
      author_type text NOT NULL,
      author_id text,
      author_label text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      FOREIGN KEY (service_id, ticket_id) REFERENCES tickets (service_id, id) ON DELETE CASCADE
    );
    CREATE INDEX ticket_entries_by_ticket ON ticket_entries (service_id, ticket_id, created_at);
    SELECT oc_tenant_table('ticket_entries');

    CREATE TABLE ticket_attachments (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      ticket_id uuid,
      entry_id uuid,
      blob_key text NOT NULL,
      file_name text NOT NULL,
      content_type text NOT NULL,
      size integer NOT NULL,
      uploaded_by_type text NOT NULL,
      uploaded_by_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      FOREIGN KEY (service_id, ticket_id) REFERENCES tickets (service_id, id) ON DELETE CASCADE
    );
    CREATE INDEX ticket_attachments_by_ticket ON ticket_attachments (service_id, ticket_id);
    SELECT oc_tenant_table('ticket_attachments');

    CREATE TABLE ticket_history (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id bigint GENERATED ALWAYS AS IDENTITY,
      ticket_id uuid NOT NULL,
      field text NOT NULL,
      from_value jsonb,
      to_value jsonb,
      redacted boolean NOT NULL DEFAULT false,
      actor_type text NOT NULL,
      actor_id text,
      actor_label text,
      at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      FOREIGN KEY (service_id, ticket_id) REFERENCES tickets (service_id, id) ON DELETE CASCADE
    );
    CREATE INDEX ticket_history_by_ticket ON ticket_history (service_id, ticket_id, id);
    SELECT oc_tenant_table('ticket_history');
    -- History is append-only for the tenant role.
    REVOKE UPDATE, DELETE ON ticket_history FROM ${APP_ROLE};`,
}

/**
 * Exact lookups that read only their matches: a customer's tickets by address (plain or sealed)
 * and tickets by a personal-info value (blind index).
 *
 * Under row-level security PostgreSQL uses an index for a condition only when every function
 * the condition applies to a column is leakproof; `lower()` and the array overlap `&&` are not,
 * so as conditions of the tenant's own query these lookups read every ticket of the service.
 * `ticket_lookup` runs them as the owner instead, scoped by hand to the same tenant settings the
 * policies read, and returns only ids: the list query still reads the tickets under the
 * policies, so the function can narrow a tenant's list but never widen it.
 *
 * Replaced by `ticket_page` (page-query.ts), which drops this function.
 */
export const ticketLookupMigration: Migration = {
  id: '0012_ticket_lookup',
  sql: `
    CREATE INDEX tickets_by_requester_email ON tickets (service_id, lower(requester_email)) WHERE requester_email IS NOT NULL;

    -- address: lower-cased, or NULL for none; tokens: blind-index entries ('<code>:<token>'), any of which matches.
    CREATE FUNCTION ticket_lookup(address text, tokens text[]) RETURNS uuid[]
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
      AS $f$
        SELECT ARRAY(
          SELECT id FROM tickets
            WHERE org_id = oc_current_org() AND service_id = oc_current_service() AND lower(requester_email) = address AND requester_email IS NOT NULL
          UNION
          SELECT id FROM tickets
            WHERE org_id = oc_current_org() AND service_id = oc_current_service() AND secret_index && tokens)
      $f$;
    REVOKE ALL ON FUNCTION ticket_lookup(text, text[]) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION ticket_lookup(text, text[]) TO ${APP_ROLE};`,
}

/**
 * Text search that reads the `search` GIN index: `@@` is not leakproof, so as a condition of the
 * tenant's own query it reads every ticket of the service (see `ticket_lookup` above for why).
 * `ticket_search` runs it as the owner, scoped by hand to the tenant settings the policies read,
 * and returns only ids; the list re-reads those tickets under the policies, so it can only narrow.
 *
 * Replaced by `ticket_page` (page-query.ts), which drops this function.
 */
export const ticketSearchMigration: Migration = {
  id: '0019_ticket_search',
  sql: `
    -- query: to_tsquery('simple', …) text as tickets/search.ts builds it (never user syntax).
    CREATE FUNCTION ticket_search(query text) RETURNS uuid[]
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
      AS $f$
        SELECT ARRAY(
          SELECT id FROM tickets
            WHERE org_id = oc_current_org() AND service_id = oc_current_service() AND search @@ to_tsquery('simple', query))
      $f$;
    REVOKE ALL ON FUNCTION ticket_search(text) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION ticket_search(text) TO ${APP_ROLE};`,
}

/**
 * Plain field-value filters (`fields ->> code = value`) through an index: `->>` is not leakproof
 * and no index covers an arbitrary code, so `ticket_field_match` finds candidates by containment
 * in a GIN index, as the owner within the tenant, and returns ids. The candidates are a superset
 * (the value as a JSON string, or as the JSON it spells: `5`, `true`, an array); the list keeps
 * the exact `->>` condition, under the policies, on the few rows it then reads by key.
 *
 * Replaced by `ticket_page` (page-query.ts), which drops this function.
 */
export const ticketFieldMatchMigration: Migration = {
  id: '0020_ticket_field_match',
  sql: `
    CREATE INDEX tickets_by_field_values ON tickets USING gin (fields jsonb_path_ops);

    CREATE FUNCTION ticket_field_match(code text, value text) RETURNS uuid[]
      LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
      AS $f$
        DECLARE
          spelled jsonb;
        BEGIN
          BEGIN
            spelled := value::jsonb;
          EXCEPTION WHEN invalid_text_representation THEN
            spelled := NULL;
          END;
          RETURN ARRAY(
            SELECT id FROM tickets
              WHERE org_id = oc_current_org() AND service_id = oc_current_service() AND fields @> jsonb_build_object(code, value)
            UNION
            SELECT id FROM tickets
              WHERE spelled IS NOT NULL AND org_id = oc_current_org() AND service_id = oc_current_service() AND fields @> jsonb_build_object(code, spelled));
        END
      $f$;
    REVOKE ALL ON FUNCTION ticket_field_match(text, text) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION ticket_field_match(text, text) TO ${APP_ROLE};`,
}

/**
 * Korean search that finds part of a word: `search` becomes `ticket_search_vector(title,
 * content)`, the 'simple' words plus the bigrams of every Hangul run, as the core's text search
 * builds the function (`bigramSearchVectorSql`, which says how the text is folded and split).
 * The statement is generated from that builder and stays byte for byte what was applied
 * (migrations.test.ts checks it). Re-adding the generated column recomputes it for every ticket.
 */
export const ticketSearchBigramsMigration: Migration = {
  id: '0021_ticket_search_bigrams',
  sql: `
${bigramSearchVectorSql('ticket_search_vector', ['title', 'content'])}

    -- Dropping the column drops its index; ticket_search reads the new column by name.
    ALTER TABLE tickets DROP COLUMN search;
    ALTER TABLE tickets ADD COLUMN search tsvector GENERATED ALWAYS AS (ticket_search_vector(title, content)) STORED;
    CREATE INDEX tickets_search ON tickets USING gin (search);`,
}
