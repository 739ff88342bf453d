/**
 * The one way a greeting is made, whichever route or trigger asks: the service's greeting text,
 * the row and its `hello.greeted` event, in the caller's transaction.
 */
import type { TenantTx } from 'opencontact'
import type { HelloContext } from './context.ts'
import type { HelloSettings } from './settings.ts'

export interface GreetingRow {
  id: string
  name: string
  text: string
  created_at: Date
}

export interface GreetOptions {
  /** Shout it (the `loud` contract feature). */
  readonly loud?: boolean
  /** The trigger effect that asks (trigger-results.ts): effects are delivered at least once, and one effect greets once. */
  readonly effectId?: string
}

/** Greets `name`, emitting through `ctx.emit` (typed by the plugin's events); null when the effect named in `options` greeted already. */
export async function addGreeting(ctx: Pick<HelloContext, 'emit'>, tx: TenantTx, settings: HelloSettings, name: string, options: GreetOptions = {}): Promise<GreetingRow | null> {
  const text = `${settings.greeting}, ${name}${settings.punctuation}`
  const [row] = await tx.sql<GreetingRow>`
    INSERT INTO hello_greetings (name, text, effect_id) VALUES (${name}, ${options.loud ? text.toUpperCase() : text}, ${options.effectId ?? null})
    ON CONFLICT (service_id, effect_id) WHERE effect_id IS NOT NULL DO NOTHING RETURNING *`
  if (!row) return null
  await ctx.emit(tx, 'hello.greeted', { greetingId: row.id, name, text: row.text })
  return row
}
