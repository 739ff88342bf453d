/**
 * A small third-party plugin, built only on the public core API (`opencontact`, which is
 * `core/mod.ts`): a route set, a settings schema, a migration, an event and a contract feature.
 */
import { definePlugin } from 'opencontact'
import { helloEvents } from './events.ts'
import { helloFeatures } from './features.ts'
import { helloMigrations } from './migrations.ts'
import { greetingRoutes } from './routes/greetings.ts'
import { HelloSettings } from './settings.ts'

export default definePlugin({
  id: 'hello',
  version: '1.0.0',
  core: '^1',
  description: 'Greets people; an example of every part of a plugin.',
  contract: { features: helloFeatures },
  settings: HelloSettings,
  migrations: helloMigrations,
  events: helloEvents,
  routes: greetingRoutes,
})
