/**
 * The plugin's context type, named from its schemas: routes and subscribers in files of their
 * own import it from here (they cannot import from mod.ts, which imports them), and get
 * settings, features and event payloads typed as `definePlugin` types them in mod.ts.
 */
import type { PluginContextOf } from 'opencontact'
import type { helloEvents } from './events.ts'
import type { helloFeatures } from './features.ts'
import type { HelloSettings } from './settings.ts'

/** The schemas mod.ts declares the plugin with. */
export interface HelloSchemas {
  settings: typeof HelloSettings
  features: typeof helloFeatures
  events: typeof helloEvents
}

export type HelloContext = PluginContextOf<HelloSchemas>
