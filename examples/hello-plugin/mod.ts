/**
 * A small third-party plugin, built only on the public core API (`opencontact`, which is
 * `core/mod.ts`) and the ticket plugin's public entry, using every slot of the contract: route
 * sets, a mount at a path of its own, a settings schema, migrations, an event and its subscriber,
 * a job over the services that contract it, a contract feature, a permission of its own, tickets
 * filed through the ticket plugin's tickets service, and a result type for ticket triggers (so
 * it depends on `ticket`).
 */
import { definePlugin } from 'opencontact'
import { helloEvents } from './events.ts'
import { helloFeatures } from './features.ts'
import { helloMigrations } from './migrations.ts'
import { greetingRoutes } from './routes/greetings.ts'
import { followUpRoutes } from './routes/follow-ups.ts'
import { ticketsRef } from '../../plugins/ticket/api.ts'
import { HelloSettings } from './settings.ts'
import { helloContributions } from './trigger-results.ts'
import { countGreetings } from './tallies.ts'
import { pruneGreetings } from './prune.ts'
import { legacyMount } from './legacy.ts'

export default definePlugin({
  id: 'hello',
  version: '1.0.0',
  core: '^1',
  dependsOn: ['ticket'],
  // The ticket plugin's tickets service, for follow-ups (routes/follow-ups.ts).
  uses: { tickets: ticketsRef },
  description: 'Greets people; an example of every part of a plugin.',
  // Its own permission, which an agent (or administrator) needs to greet someone.
  permissions: { hello: { title: { ko: '인사하기', en: 'Greet people' } } },
  contract: { features: helloFeatures },
  settings: HelloSettings,
  migrations: helloMigrations,
  events: helloEvents,
  routes(app, ctx) {
    greetingRoutes(app, ctx)
    followUpRoutes(app, ctx)
  },
  contributes: helloContributions,
  subscribers: [countGreetings],
  jobs: [pruneGreetings],
  mounts: [legacyMount],
})
