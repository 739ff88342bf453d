/**
 * The forms ticket creates validate against (`TicketFieldSpec`), kept per service, intake
 * category and filler on this instance, so a create does not read the categories and fields
 * every time, and the NOTIFY that empties it: triggers on the form tables send
 * `oc_ticket_forms` with every committed change, from any instance or the CLI.
 *
 * A spec is kept only after the transaction that read it committed, and only if no change was
 * announced since its read began (`generation`): a read that raced a change, or that created
 * the system fields in a transaction that then rolled back, is used once and dropped. This
 * instance's own form changes empty it right after they commit (`clear`, from the routes),
 * before the next request can come; other instances follow at their NOTIFY. Without LISTEN
 * (Workers) nothing is kept and every create reads the form.
 */
import type { Migration, PluginContext } from '../../../core/mod.ts'
import type { TicketFieldSpec } from './ticket-fields.ts'

const CHANNEL = 'oc_ticket_forms'
const MAX_ENTRIES = 10_000

export const formNotifyMigration: Migration = {
  id: '0010_ticket_form_notify',
  sql: `
    CREATE OR REPLACE FUNCTION ticket_notify_forms() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME);
      RETURN NULL;
    END $f$;
    CREATE TRIGGER ticket_fields_changed AFTER INSERT OR UPDATE OR DELETE ON ticket_fields FOR EACH STATEMENT EXECUTE FUNCTION ticket_notify_forms();
    CREATE TRIGGER ticket_category_fields_changed AFTER INSERT OR UPDATE OR DELETE ON ticket_category_fields FOR EACH STATEMENT EXECUTE FUNCTION ticket_notify_forms();
    CREATE TRIGGER ticket_categories_changed AFTER INSERT OR UPDATE OR DELETE ON ticket_categories FOR EACH STATEMENT EXECUTE FUNCTION ticket_notify_forms();`,
}

export interface FormLookup {
  /** The kept spec, if any. */
  readonly spec: TicketFieldSpec | undefined
  /** Keeps a spec read in a transaction that has committed since this lookup. */
  keep(spec: TicketFieldSpec): void
}

export interface FormCache {
  /**
   * Starts listening for form changes, once. Await it before opening a transaction in which
   * `lookup` is called: on a single-connection driver (PGlite) listening waits for the connection.
   */
  start(): Promise<unknown>
  lookup(serviceId: string, intakeCategoryId: string | null, filler: string): Promise<FormLookup>
  /** Forgets every form; call after a form change committed. */
  clear(): void
}

const caches = new WeakMap<PluginContext['db'], FormCache>()

/** The form cache of the platform database `db` (one per database, shared by the routes). */
export function formCache(db: PluginContext['db']): FormCache {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = createFormCache(db)))
  return cache
}

function createFormCache(db: PluginContext['db']): FormCache {
  const entries = new Map<string, TicketFieldSpec>()
  let generation = 0
  const clear = () => {
    generation++
    entries.clear()
  }
  // Listening starts with the first create; until it is up (or where there is none) nothing is kept.
  let listening: Promise<boolean> | undefined
  const listen = () =>
    (listening ??= db.listen
      ? db.listen(CHANNEL, clear, clear).then(
          () => true,
          () => false,
        )
      : Promise.resolve(false))
  return {
    clear,
    start: listen,
    async lookup(serviceId, intakeCategoryId, filler) {
      const active = await listen()
      const key = `${serviceId}\u0000${intakeCategoryId ?? ''}\u0000${filler}`
      const seen = generation
      return {
        spec: active ? entries.get(key) : undefined,
        keep(spec) {
          if (!active || generation !== seen) return
          if (entries.size >= MAX_ENTRIES) entries.clear()
          entries.set(key, spec)
        },
      }
    },
  }
}
