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

/** A kept value, if any, and how to keep one read in a transaction that has committed since the lookup. */
export interface Kept<T> {
  readonly value: T | undefined
  keep(value: T): void
}

export interface FormLookup {
  /** The kept spec, if any. */
  readonly spec: TicketFieldSpec | undefined
  /** Keeps a spec read in a transaction that has committed since this lookup. */
  keep(spec: TicketFieldSpec): void
}

export interface FormCache {
  /** Starts listening for form changes, once (at boot); until it is up, lookups keep nothing. */
  start(): Promise<unknown>
  lookup(serviceId: string, intakeCategoryId: string | null, filler: string): Promise<FormLookup>
  /** The id of the intake category the OPEN API numbers `compatId` (ids never change; a deleted category empties the cache). */
  compatCategory(serviceId: string, compatId: number): Promise<Kept<string>>
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
  const compatCategories = new Map<string, string>()
  let generation = 0
  const clear = () => {
    generation++
    entries.clear()
    compatCategories.clear()
  }
  /** What `key` holds in `map`, and a `keep` that stores only if nothing changed since (and only while listening). */
  const kept = <T>(map: Map<string, T>, key: string, active: boolean): Kept<T> => {
    const seen = generation
    return {
      value: active ? map.get(key) : undefined,
      keep(value) {
        if (!active || generation !== seen) return
        if (map.size >= MAX_ENTRIES) map.clear()
        map.set(key, value)
      },
    }
  }
  // Listening starts at boot (or with the first create); until it is up (or where there is none)
  // nothing is kept. Lookups never wait for it: they run inside a caller's transaction, and on a
  // single-connection driver (PGlite) the listener waits for that very connection.
  let listening: Promise<boolean> | undefined
  let up = false
  const listen = () =>
    (listening ??= db.listen
      ? db.listen(CHANNEL, clear, clear).then(
          () => (up = true),
          () => false,
        )
      : Promise.resolve(false))
  return {
    clear,
    start: listen,
    async lookup(serviceId, intakeCategoryId, filler) {
      void listen()
      const form = kept(entries, `${serviceId}\u0000${intakeCategoryId ?? ''}\u0000${filler}`, up)
      return { spec: form.value, keep: form.keep }
    },
    async compatCategory(serviceId, compatId) {
      void listen()
      return kept(compatCategories, `${serviceId}\u0000${compatId}`, up)
    },
  }
}
