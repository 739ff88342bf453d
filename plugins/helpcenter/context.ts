/**
 * The plugin's context type, named from its schemas: routes and subscribers in files of their
 * own import it from here (they cannot import mod.ts, which imports them).
 */
import type { PluginContextOf } from '../../core/mod.ts'
import type { HelpCenterSettings } from './settings.ts'

/** The schemas mod.ts declares the plugin with. */
export interface HelpCenterSchemas {
  settings: typeof HelpCenterSettings
}

export type HelpCenterContext = PluginContextOf<HelpCenterSchemas>
