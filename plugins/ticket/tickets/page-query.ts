/**
 * The ticket list's page query, run as the owner within the tenant (`ticket_page`).
 *
 * Under row-level security PostgreSQL applies a condition through an index only when every
 * function the condition applies to a column is leakproof. Text search (`@@`), `lower()`, array
 * overlap and JSON operators are not, so as conditions of the tenant's own query they are checked
 * row by row over every ticket of the service. Moving each of them into its own function that
 * returns all matching ids (as `ticket_lookup`, `ticket_search` and `ticket_field_match` did)
 * reaches the index but not the page: a common word in a large service returned hundreds of
 * thousands of ids, and the filters, the sort and the limit applied only after them.
 *
 * `ticket_page(spec)` therefore runs the whole page query as the owner: every filter, the sort,
 * the cursor and the limit in one statement, so the planner picks among all the indexes at once
 * (a rare word: the text index, then sort; a common word under a newest-first sort: the update
 * index in order, stopping at the page). The statement's text is built here from the names of
 * the filters present, never from their values: values reach it only as the one parameter
 * `spec`, read with immutable accessors that the planner folds into constants, so each page is
 * planned for its own values (one-shot plan of `EXECUTE … USING`).
 *
 * The guard stays the tenant's policies: the statement is scoped by hand to the tenant settings
 * the policies read and returns only ids; the list then reads those tickets by key under the
 * policies, so the function can narrow a tenant's list but never widen it. Outside a tenant
 * transaction it returns nothing.
 *
 * `spec` (built by tickets/list.ts; every key optional but `sort` and `limit`):
 *   numbers bigint[], statuses / channels text[], assigneeAgentId, assigneeGroupId,
 *   intakeCategoryId, processingCategoryId (uuid), usercode, createdFrom, createdTo,
 *   updatedFrom, updatedTo (timestamptz text; `…To` exclusive), search (to_tsquery('simple')
 *   text as tickets/search.ts builds it), field { code, value } (a plain field's value, as text or
 *   the JSON number or boolean it spells),
 *   address (lower-cased requester address) and tokens text[] (blind-index entries; with an
 *   address: its sealed forms), after { at, number } (the cursor), sort ('created:desc', …),
 *   limit.
 */
import { APP_ROLE, type Migration } from '../../../core/mod.ts'

export const ticketPageMigration: Migration = {
  id: '0022_ticket_page',
  sql: `
    -- The sort's own orders, per filter that agents combine with it most (queues by status,
    -- "mine" and "my group's" by assignee): walked in order, they stop at the page.
    DROP INDEX tickets_by_status;
    DROP INDEX tickets_by_assignee;
    DROP INDEX tickets_by_group;
    CREATE INDEX tickets_by_status_created ON tickets (service_id, status, created_at DESC, number DESC);
    CREATE INDEX tickets_by_status_updated ON tickets (service_id, status, updated_at DESC, number DESC);
    CREATE INDEX tickets_by_assignee ON tickets (service_id, assignee_agent_id, updated_at DESC, number DESC);
    CREATE INDEX tickets_by_group ON tickets (service_id, assignee_group_id, updated_at DESC, number DESC);
    CREATE INDEX tickets_by_channel ON tickets (service_id, channel);

    -- A JSON array of text as text[]; immutable, so a constant argument is folded at planning.
    CREATE FUNCTION ticket_spec_texts(list jsonb) RETURNS text[]
      LANGUAGE sql IMMUTABLE STRICT
      AS $f$ SELECT coalesce(array_agg(item), '{}') FROM jsonb_array_elements_text(list) AS item $f$;

    -- The shapes a field's value may be stored in: as a JSON string, or as the JSON number or
    -- boolean it spells exactly (\`5\`, \`true\`; not \`05\` or \`5.0\`), as JavaScript writes them.
    -- Containment of either is the field filter: the GIN index answers it, and the planner
    -- estimates it from the column's statistics (an extra \`->>\` test would be priced as rare).
    CREATE FUNCTION ticket_field_shape(code text, value text, spelled boolean) RETURNS jsonb
      LANGUAGE plpgsql IMMUTABLE STRICT
      AS $f$
        DECLARE
          scalar jsonb;
        BEGIN
          IF NOT spelled THEN
            RETURN jsonb_build_object(code, value);
          END IF;
          scalar := value::jsonb;
          IF jsonb_typeof(scalar) IN ('number', 'boolean') AND scalar::text = value THEN
            RETURN jsonb_build_object(code, scalar);
          END IF;
          RETURN NULL;
        EXCEPTION WHEN invalid_text_representation THEN
          RETURN NULL;
        END
      $f$;

    -- "column is one of spec's list": a list of one is an equality, which an index on the column
    -- and the sort reads in the sort's order (\`= ANY\` of one value would be read, then sorted).
    CREATE FUNCTION ticket_page_one_of(column_name text, key text, spec jsonb, type_name text) RETURNS text
      LANGUAGE sql IMMUTABLE
      AS $f$
        SELECT CASE WHEN jsonb_array_length(spec->key) = 1
          THEN format('%I = ($1->%L->>0)::%s', column_name, key, type_name)
          ELSE format('%I = ANY(ticket_spec_texts($1->%L)::%s[])', column_name, key, type_name) END
      $f$;

    -- The page statement for the filters present in spec; $1 is spec, $2 the org, $3 the service.
    CREATE FUNCTION ticket_page_sql(spec jsonb) RETURNS text
      LANGUAGE plpgsql IMMUTABLE
      AS $f$
        DECLARE
          conditions text[] := ARRAY['org_id = $2', 'service_id = $3'];
          sort_column text := CASE split_part(spec->>'sort', ':', 1) WHEN 'created' THEN 'created_at' WHEN 'updated' THEN 'updated_at' END;
          direction text := CASE split_part(spec->>'sort', ':', 2) WHEN 'desc' THEN 'DESC' WHEN 'asc' THEN 'ASC' END;
          sort_key text;
        BEGIN
          IF sort_column IS NULL OR direction IS NULL THEN
            RAISE EXCEPTION 'ticket_page: unknown sort %', spec->>'sort' USING ERRCODE = 'invalid_parameter_value';
          END IF;
          IF spec ? 'numbers' THEN conditions := array_append(conditions, ticket_page_one_of('number', 'numbers', spec, 'bigint')); END IF;
          IF spec ? 'statuses' THEN conditions := array_append(conditions, ticket_page_one_of('status', 'statuses', spec, 'text')); END IF;
          IF spec ? 'channels' THEN conditions := array_append(conditions, ticket_page_one_of('channel', 'channels', spec, 'text')); END IF;
          IF spec ? 'assigneeAgentId' THEN conditions := array_append(conditions, $c$assignee_agent_id = ($1->>'assigneeAgentId')::uuid$c$); END IF;
          IF spec ? 'assigneeGroupId' THEN conditions := array_append(conditions, $c$assignee_group_id = ($1->>'assigneeGroupId')::uuid$c$); END IF;
          IF spec ? 'intakeCategoryId' THEN conditions := array_append(conditions, $c$intake_category_id = ($1->>'intakeCategoryId')::uuid$c$); END IF;
          IF spec ? 'processingCategoryId' THEN conditions := array_append(conditions, $c$processing_category_id = ($1->>'processingCategoryId')::uuid$c$); END IF;
          IF spec ? 'usercode' THEN conditions := array_append(conditions, $c$requester_usercode = $1->>'usercode'$c$); END IF;
          IF spec ? 'createdFrom' THEN conditions := array_append(conditions, $c$created_at >= ($1->>'createdFrom')::timestamptz$c$); END IF;
          IF spec ? 'createdTo' THEN conditions := array_append(conditions, $c$created_at < ($1->>'createdTo')::timestamptz$c$); END IF;
          IF spec ? 'updatedFrom' THEN conditions := array_append(conditions, $c$updated_at >= ($1->>'updatedFrom')::timestamptz$c$); END IF;
          IF spec ? 'updatedTo' THEN conditions := array_append(conditions, $c$updated_at < ($1->>'updatedTo')::timestamptz$c$); END IF;
          IF spec ? 'search' THEN conditions := array_append(conditions, $c$search @@ to_tsquery('simple', $1->>'search')$c$); END IF;
          IF spec ? 'field' THEN
            conditions := array_append(conditions, $c$(fields @> ticket_field_shape($1#>>'{field,code}', $1#>>'{field,value}', false) OR fields @> ticket_field_shape($1#>>'{field,code}', $1#>>'{field,value}', true))$c$);
          END IF;
          IF spec ? 'address' THEN
            conditions := array_append(conditions, $c$((lower(requester_email) = $1->>'address' AND requester_email IS NOT NULL) OR secret_index && ticket_spec_texts($1->'tokens'))$c$);
          ELSIF spec ? 'tokens' THEN
            conditions := array_append(conditions, $c$secret_index && ticket_spec_texts($1->'tokens')$c$);
          END IF;
          IF spec ? 'after' THEN
            conditions := array_append(conditions, format($c$(%I, number) %s (($1#>>'{after,at}')::timestamptz, ($1#>>'{after,number}')::bigint)$c$, sort_column, CASE direction WHEN 'DESC' THEN '<' ELSE '>' END));
          END IF;
          -- A range on the other time column than the sort: the two are correlated (a ticket is
          -- updated after it is created), which the planner cannot know, so walking the sort's
          -- index would pass most of the service before the range (old tickets come last in a
          -- newest-updated walk). The page reads the range instead, then sorts it.
          sort_key := CASE WHEN (sort_column = 'updated_at' AND (spec ? 'createdFrom' OR spec ? 'createdTo'))
                             OR (sort_column = 'created_at' AND (spec ? 'updatedFrom' OR spec ? 'updatedTo'))
                           THEN format('(%I + interval ''0 s'')', sort_column) ELSE quote_ident(sort_column) END;
          RETURN format('SELECT id FROM tickets WHERE %s ORDER BY %s %s, number %s LIMIT least(($1->>''limit'')::int, 1000)',
            array_to_string(conditions, ' AND '), sort_key, direction, direction);
        END
      $f$;

    CREATE FUNCTION ticket_page(spec jsonb) RETURNS uuid[]
      LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
      AS $f$
        DECLARE
          org uuid := oc_current_org();
          service uuid := oc_current_service();
          ids uuid[];
        BEGIN
          IF org IS NULL OR service IS NULL THEN
            RETURN '{}';
          END IF;
          EXECUTE format('SELECT ARRAY(%s)', ticket_page_sql(spec)) INTO ids USING spec, org, service;
          RETURN ids;
        END
      $f$;
    REVOKE ALL ON FUNCTION ticket_page(jsonb) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION ticket_page(jsonb) TO ${APP_ROLE};

    -- One way to the list's indexes: the lookups that each reached one of them are the page's now.
    DROP FUNCTION ticket_lookup(text, text[]);
    DROP FUNCTION ticket_search(text);
    DROP FUNCTION ticket_field_match(text, text);`,
}
