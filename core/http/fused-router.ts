/**
 * The root app's router: Hono's own (RegExpRouter, TrieRouter as fallback) with one change. When
 * a request matches a chain of middlewares and a handler, Hono is handed a single handler that
 * runs that chain itself, by the rules of Hono's `compose`: the error handler answers an error at
 * the level it was thrown, the not-found handler answers when the chain ends without a response,
 * and calling `next()` twice is an error.
 *
 * Why: Hono runs a chain of more than one handler through `compose`, whose every step is an async
 * function, so each request pays a promise per step and its answer is always a promise. This
 * chain stays synchronous for as long as its steps return synchronously: a request whose steps
 * all answer from memory (warm caches, a GET without a body) returns its Response synchronously,
 * and @hono/node-server writes it on its fast path. A step that returns a promise continues the
 * chain asynchronously from there, as before.
 *
 * Route parameters: Hono finds a step's parameters through the step's index in the match. The
 * fused match has one entry, so the chain is fused only when every step's parameters are the
 * last step's (a middleware path is a prefix of the route's, so it names the same parameters);
 * otherwise Hono gets the match unchanged.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import type { Result, Router } from 'hono/router'
import { RegExpRouter } from 'hono/router/reg-exp-router'
import { SmartRouter } from 'hono/router/smart-router'
import { TrieRouter } from 'hono/router/trie-router'
import { isThenable } from './sync-middleware.ts'

type Step = (c: Context, next: () => unknown) => unknown
/** What Hono stores in its router for every handler: the handler and its route description. */
type Stored = [Step, unknown]
type Entry = [Stored, Record<string, unknown>]

/**
 * One request's run through a chain, as Hono's compose would run it, synchronously until a step
 * returns a promise. A class rather than closures: a request then allocates one object, not a
 * function per rule.
 */
class ChainRun {
  #index = -1
  constructor(
    private readonly c: Context,
    private readonly steps: readonly Step[],
    private readonly onError: ErrorHandler,
    private readonly onNotFound: NotFoundHandler,
  ) {}

  dispatch(i: number): Context | PromiseLike<Context> {
    if (i <= this.#index) return Promise.reject(new Error('next() called multiple times'))
    this.#index = i
    const { c } = this
    const step = this.steps[i]
    if (!step) {
      if (c.finalized !== false) return c
      const res = this.onNotFound(c as never)
      return isThenable(res) ? res.then((answer) => this.settle(answer, false)) : this.settle(res, false)
    }
    let res: unknown
    try {
      res = step(c, () => this.dispatch(i + 1))
    } catch (error) {
      return this.failed(error)
    }
    return isThenable(res) ? res.then((answer) => this.settle(answer, false), (error: unknown) => this.failed(error)) : this.settle(res, false)
  }

  private settle(res: unknown, isError: boolean): Context {
    const { c } = this
    // A step that returns `next()` hands back the context, which is no answer.
    if (res && res !== c && (c.finalized === false || isError)) c.res = res as Response
    return c
  }

  private failed(error: unknown): Context | PromiseLike<Context> {
    if (!(error instanceof Error)) throw error
    this.c.error = error
    const res = this.onError(error, this.c as never)
    return isThenable(res) ? res.then((answer) => this.settle(answer, true)) : this.settle(res, true)
  }
}

function finish(c: Context): Response {
  if (!c.finalized) throw new Error('Context is not finalized. Did you forget to return a Response object or `await next()`?')
  return c.res
}

/** The one handler Hono sees for a matched chain. */
function runChain(steps: readonly Step[], onError: ErrorHandler, onNotFound: NotFoundHandler): Step {
  return (c) => {
    const done = new ChainRun(c, steps, onError, onNotFound).dispatch(0)
    return isThenable(done) ? done.then(finish) : finish(done)
  }
}

/** Whether every entry's parameters are also the last entry's, with the same values. */
function sameParameters(entries: readonly Entry[]): boolean {
  const last = entries[entries.length - 1]![1]
  return entries.every(([, params]) => Object.keys(params).every((name) => params[name] === last[name]))
}

/** Hono's default router, fusing every matched chain as described above. */
export function fusedRouter(handlers: () => { onError: ErrorHandler; onNotFound: NotFoundHandler }): Router<Stored> {
  const inner: Router<Stored> = new SmartRouter({ routers: [new RegExpRouter(), new TrieRouter()] })
  // RegExpRouter answers each route with the same entry list every time: fuse it once.
  const fused = new WeakMap<readonly Entry[], Entry[] | null>()
  const fuse = (entries: Entry[]): Entry[] | null => {
    if (!sameParameters(entries)) return null
    const { onError, onNotFound } = handlers()
    const last = entries[entries.length - 1]!
    const chain = runChain(entries.map(([[step]]) => step), onError, onNotFound)
    return [[[chain, last[0][1]], last[1]]]
  }
  return {
    name: 'FusedRouter',
    add: (method, path, handler) => inner.add(method, path, handler),
    match(method, path) {
      const result = inner.match(method, path)
      const entries = result[0] as Entry[]
      if (entries.length < 2) return result
      let one = fused.get(entries)
      if (one === undefined) {
        one = fuse(entries)
        // Only a parameter stash (RegExpRouter) means the list is the router's own, kept and reused.
        if (result[1]) fused.set(entries, one)
      }
      if (!one) return result
      return (result[1] ? [one, result[1]] : [one]) as Result<Stored>
    },
  }
}
