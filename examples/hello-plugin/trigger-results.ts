/**
 * A result type for the ticket plugin's triggers, contributed to its extension point
 * (`triggerResults`, from the ticket plugin's public entry): when a trigger with the result
 * `{ type: 'hello.greet', params: {} }` matches, the ticket's requester is greeted like a
 * `POST /hello/greetings` would, as this plugin (its settings, its table, its event).
 */
import { contribute, z } from 'opencontact'
import { triggerResults, type TriggerAction } from '../../plugins/ticket/api.ts'
import { HelloSettings } from './settings.ts'
import { addGreeting } from './greet.ts'

const GreetParams = z.strictObject({
  /** Who to greet; the requester's name (or address) when left out. */
  name: z.string().min(1).max(100).optional(),
})

const greet: TriggerAction<z.infer<typeof GreetParams>> = {
  type: 'hello.greet',
  title: 'Greet the requester',
  description: "Adds a greeting for the ticket's requester, with this service's greeting settings.",
  params: GreetParams,
  async run(effect, ctx) {
    const service = await ctx.tenant(effect.scope)
    if (!service) return
    const name = effect.params.name ?? effect.ticket.requester.name ?? effect.ticket.requester.email ?? 'there'
    await service.db.tx(async (tx) => {
      // The point hands every contributor the plain plugin context: its settings are read through the schema.
      // Effects are delivered at least once: the effect id keeps a retry from greeting twice.
      await addGreeting(ctx, tx, HelloSettings.parse(await ctx.settings(tx)), name, { effectId: effect.effectId })
    })
  },
}

export const helloContributions = [contribute(triggerResults, greet)]
