/**
 * Services between plugins: a plugin `provides` a service under a typed ref, and another that
 * `uses` the ref gets it from `ctx.use(ref)`. Every used ref is checked at registration (a ref
 * nobody provides, one provided twice or outside its provider's namespace, plugins using each
 * other's services: coded errors naming the plugins), so a missing service fails the start,
 * never a request.
 *
 * A service is made once per platform, on first use, by its provider's factory with the
 * provider's own context. Whatever touches tenant data takes the caller's `TenantTx`, so a call
 * across plugins is part of the caller's transaction: one transaction per change, whichever
 * plugins it spans.
 *
 * @example
 * // plugins/ticket/api.ts
 * export const ticketsRef = createServiceRef<TicketsService>('ticket.tickets')
 * // plugins/ticket/mod.ts
 * provides: [provide(ticketsRef, (ctx) => ticketsService(ctx))],
 * // plugins/helpcenter/mod.ts
 * uses: { tickets: ticketsRef },
 * ... ctx.use(ticketsRef).create(tx, { service, actor }, input)
 */

/** A typed name of a service; its id is `<provider plugin id>.<name>`. */
export interface ServiceRef<T> {
  readonly id: string
  /** Carries the service's type; never set. */
  readonly __service?: T
}

const REF_ID = /^[a-z][a-z0-9-]*\.[a-z][a-zA-Z0-9-]*$/

/**
 * Names a service a plugin provides; export it from the provider's public entry (`api.ts`).
 * @example export const ticketsRef = createServiceRef<TicketsService>('ticket.tickets')
 */
export function createServiceRef<T>(id: string): ServiceRef<T> {
  if (!REF_ID.test(id)) throw new TypeError(`service ref id '${id}' must be '<plugin id>.<name>', such as 'billing.invoices'`)
  return Object.freeze({ id })
}

/** One provided service: its ref and the factory that makes it from the provider's context. */
export interface ProvidedService<C = unknown> {
  readonly ref: ServiceRef<unknown>
  readonly make: (ctx: C) => unknown
}

/**
 * Pairs a ref with its factory, typed together.
 * @example provides: [provide(ticketsRef, (ctx) => ticketsService(ctx))]
 */
export function provide<T, C>(ref: ServiceRef<T>, make: (ctx: C) => T): ProvidedService<C> {
  return { ref, make }
}
