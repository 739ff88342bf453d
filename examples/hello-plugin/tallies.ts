/**
 * A subscriber: every `hello.greeted` event adds one to the greeted person's tally. Events are
 * delivered at least once, so the tally remembers the events it counted (by event id) and a
 * redelivery counts nothing.
 */
import { subscriber } from 'opencontact'
import type { HelloSchemas } from './context.ts'

export const countGreetings = subscriber<HelloSchemas>()({
  id: 'count-greetings',
  event: 'hello.greeted',
  async handle(event, ctx) {
    if (!event.serviceId) return
    await ctx.tenantDb({ orgId: event.orgId, serviceId: event.serviceId }).tx(async (tx) => {
      const [fresh] = await tx.sql`INSERT INTO hello_counted_events (event_id) VALUES (${event.id}) ON CONFLICT DO NOTHING RETURNING event_id`
      if (!fresh) return
      await tx.sql`
        INSERT INTO hello_tallies (name, greetings) VALUES (${event.payload.name}, 1)
        ON CONFLICT (service_id, name) DO UPDATE SET greetings = hello_tallies.greetings + 1`
    })
  },
})
