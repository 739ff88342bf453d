/**
 * How plugins and core areas declare the event types they emit: by name, the payload's zod
 * schema, or that schema with flags. An `internal` event is work the platform hands itself
 * through the outbox (retried, never lost), not news for the outside: it reaches subscribers of
 * code, but web hooks never receive it (`*` and `<prefix>.*` pass over it), cannot subscribe to
 * it by name, and do not see it among the subscribable types.
 */
import type { z } from 'zod'

export interface EventDeclaration {
  readonly payload: z.ZodType
  /** Never delivered to web hooks, nor offered to them; e.g. a trigger's outgoing call carrying the hook URL and its token. */
  readonly internal?: boolean
}

/** Event type -> its payload schema, or an {@link EventDeclaration}. */
export type EventDeclarations = Readonly<Record<string, z.ZodType | EventDeclaration>>

/** One declaration in its full form (a bare schema is a public event). */
export function readEventDeclaration(declared: z.ZodType | EventDeclaration): { readonly payload: z.ZodType; readonly internal: boolean } {
  if (typeof (declared as z.ZodType).safeParse === 'function') return { payload: declared as z.ZodType, internal: false }
  const { payload, internal } = declared as EventDeclaration
  return { payload, internal: internal === true }
}
