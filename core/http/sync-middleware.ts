/**
 * Middleware that may finish without a promise. Hono types every middleware as returning one,
 * but the platform's root router (fused-router.ts) runs a chain synchronously for as long as
 * its steps return synchronously, so the platform's own steps return `next()` or their answer
 * directly and use a promise only when they wait for something.
 */
import type { Context, Env, MiddlewareHandler, Next } from 'hono'

export type SyncMiddleware<E extends Env = Env> = (c: Context<E>, next: Next) => Response | void | Promise<Response | void>

/** The same function under Hono's middleware type, for `app.use` and route middleware lists. */
export const asMiddleware = <E extends Env>(step: SyncMiddleware<E>): MiddlewareHandler<E> => step as unknown as MiddlewareHandler<E>

export const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as { then?: unknown } | null | undefined)?.then === 'function'
