/**
 * Web hooks as a delivery channel (I5): each enabled subscription whose event types match an
 * event gets its own delivery (`webhook:<subscription id>`), so one failing endpoint is retried
 * and dead-lettered alone. A delivery is one signed POST of the event envelope through the
 * outbound guard: 2xx is success; anything else, a timeout or a network error is retried;
 * a refused address or a deleted or disabled subscription is parked at once. Internal event
 * types (see events/declarations.ts) are never delivered here, whatever the subscription says.
 */
import type { Db, Queryable } from '../../storage/db.ts'
import type { OutboundGuard } from '../../http/outbound.ts'
import { OutboundRefusedError } from '../../http/outbound.ts'
import { CORE_VERSION } from '../../version.ts'
import type { DeliveryChannel, DeliveryOutcome, DeliveryTarget } from '../channels.ts'
import type { EventEnvelope } from '../types.ts'
import type { WebhookSigner } from './signing.ts'

export const WEBHOOK_KEY_PREFIX = 'webhook:'

/** What a delivery needs of a subscription; read as the owner role (tenant code cannot read the secret). */
export interface SubscriptionTarget {
  readonly url: string
  readonly secret: string
  readonly enabled: boolean
}

/** Loads a subscription by id (null when deleted); the area wires a cache emptied by NOTIFY in front of it. */
export type SubscriptionLookup = (id: string) => Promise<SubscriptionTarget | null>

export function loadSubscriptionTarget(db: Db): SubscriptionLookup {
  return async (id) => {
    const [row] = await db.sql<SubscriptionTarget>`SELECT url, secret, enabled FROM oc_webhook_subscriptions WHERE id = ${id}::uuid`
    return row ?? null
  }
}

/** Body text shown in the delivery log when a receiver refuses, at most this long. */
const MAX_ANSWER_SNIPPET = 300
/** Answers longer than this are not read to their end (the connection is given up instead). */
const MAX_ANSWER_READ = 64 * 1024

export function webhookChannel(options: { lookup: SubscriptionLookup; guard: OutboundGuard; signer: WebhookSigner; timeoutMs: number; internal: ReadonlySet<string> }): DeliveryChannel {
  return {
    owns: (key) => key.startsWith(WEBHOOK_KEY_PREFIX),

    async targets(events, tx: Queryable): Promise<DeliveryTarget[]> {
      const wanted = events.filter((e) => !options.internal.has(e.envelope.type)).map((e) => ({ outbox_id: e.outboxId, service_id: e.envelope.serviceId, type: e.envelope.type }))
      if (wanted.length === 0) return []
      // An event type pattern is an exact type, `*`, or `<prefix>.*`.
      const rows = await tx.sql<{ outbox_id: string | number; subscriber: string }>`
        SELECT e.outbox_id, ${WEBHOOK_KEY_PREFIX} || s.id AS subscriber
        FROM jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) AS e(outbox_id bigint, service_id uuid, type text)
        JOIN oc_webhook_subscriptions s ON s.service_id = e.service_id AND s.enabled
        WHERE EXISTS (SELECT 1 FROM unnest(s.event_types) p WHERE p = '*' OR p = e.type OR (right(p, 2) = '.*' AND starts_with(e.type, left(p, -1))))`
      return rows.map((r) => ({ outboxId: String(r.outbox_id), subscriber: r.subscriber }))
    },

    async deliver(key, event: EventEnvelope): Promise<DeliveryOutcome> {
      const subscription = await options.lookup(key.slice(WEBHOOK_KEY_PREFIX.length))
      if (!subscription) return { ok: false, retry: false, error: 'the web hook subscription was deleted' }
      // A delivery recorded before its type was marked internal is not sent on replay either.
      if (options.internal.has(event.type)) return { ok: false, retry: false, error: `'${event.type}' is an internal event type; web hooks do not receive it` }
      if (!subscription.enabled) return { ok: false, retry: false, error: 'the web hook subscription is inactive; set it active (PATCH {"active": true}), then replay this delivery' }
      const body = JSON.stringify(event)
      const headers = {
        'content-type': 'application/json',
        'user-agent': `OpenContact-Webhooks/${CORE_VERSION}`,
        ...(await options.signer.headers(subscription.secret, event.id, body)),
      }
      let response: Response
      try {
        response = await options.guard.fetch(subscription.url, { method: 'POST', headers, body, timeoutMs: options.timeoutMs })
      } catch (error) {
        return failure(error, options.timeoutMs)
      }
      const { text: snippet } = await readAnswer(response)
      if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status }
      const redirect = response.status >= 300 && response.status < 400 ? ` redirects are not followed; point the subscription at the final URL${response.headers.get('location') ? ` (Location: ${response.headers.get('location')})` : ''}` : ''
      return { ok: false, retry: true, statusCode: response.status, error: `HTTP ${response.status}${redirect}${snippet ? `: ${snippet}` : ''}` }
    },
  }
}

function failure(error: unknown, timeoutMs: number): DeliveryOutcome {
  if (error instanceof OutboundRefusedError) return { ok: false, retry: false, error: error.reason }
  const e = error as Error & { cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { ok: false, retry: true, error: `no answer within ${timeoutMs} ms` }
  const cause = e?.cause?.code ?? e?.cause?.message
  return { ok: false, retry: true, error: `${e?.message ?? String(error)}${cause ? ` (${cause})` : ''}` }
}

/**
 * Reads a receiver's answer, up to a limit: reading a short answer to its end keeps the
 * connection open for the next call (cancelling a body closes it); a long one is cut off.
 * Returns its start, whitespace folded, for the delivery log.
 */
async function readAnswer(response: Response): Promise<{ text: string }> {
  if (!response.body) return { text: '' }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (size < MAX_ANSWER_SNIPPET) chunks.push(value)
      size += value.byteLength
      if (size > MAX_ANSWER_READ) {
        await reader.cancel().catch(() => {})
        break
      }
    }
  } catch {
    // a broken answer body: the status says enough
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
  let at = 0
  for (const chunk of chunks) (bytes.set(chunk, at), (at += chunk.byteLength))
  return { text: new TextDecoder().decode(bytes).slice(0, MAX_ANSWER_SNIPPET).replace(/\s+/g, ' ').trim() }
}
