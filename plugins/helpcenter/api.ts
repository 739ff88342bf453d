/**
 * The help center's public entry: what other plugins may use (they list `helpcenter` in their
 * `dependsOn` and import only this file of it): the extension points for page slots and menu
 * items, and their plain types.
 *
 * Contributions carry no HTML: a slot names a script under the contributor's own mount (the
 * page loads it, under the page's Content-Security-Policy), a menu item a path; the help center
 * writes every element itself. A contribution that should appear only while one of the help
 * center's switches is on names that switch in `requires` (e.g. the chat plugin's launcher
 * requires `'chat'`): the help center checks its own setting, never knowing who contributed.
 */
import { createExtensionPoint } from '../../core/mod.ts'
import { HelpCenterSettings } from './settings.ts'

/** Where on a page a slot goes. */
export const SLOT_POSITIONS = ['launcher', 'header', 'footer'] as const
export type SlotPosition = (typeof SLOT_POSITIONS)[number]

/** Text per help-center language (`{ ko: '채팅 상담', en: 'Chat with us' }`); the first one stands in for a missing language. */
export type PerLanguage = Readonly<Record<string, string>>

/** The help-center switches (boolean settings) a contribution may depend on. */
export type HelpCenterSwitch = { [K in keyof HelpCenterSettings]: HelpCenterSettings[K] extends boolean ? K : never }[keyof HelpCenterSettings]

/**
 * A page slot: a script another plugin adds to every help-center page, at a position.
 * @example contribute(pageSlots, { name: 'launcher', position: 'launcher', scriptPath: '/chat/launcher.js', label: { ko: '채팅 상담', en: 'Chat' }, requires: 'chat' })
 */
export interface PageSlot {
  /** Unique within the contributing plugin. */
  readonly name: string
  readonly position: SlotPosition
  /** Under the contributor's own mount (`/<plugin id>/...`), relative to the service's prefix. */
  readonly scriptPath: string
  readonly label: PerLanguage
  /** The help-center switch that must be on for the slot to show. */
  readonly requires?: HelpCenterSwitch
}

/**
 * A menu item another plugin adds to the help center's menu.
 * @example contribute(menuItems, { name: 'chat', title: { ko: '채팅', en: 'Chat' }, path: '/chat/start', requires: 'chat' })
 */
export interface MenuItem {
  readonly name: string
  readonly title: PerLanguage
  /** Under the contributor's own mount (`/<plugin id>/...`), relative to the service's prefix. */
  readonly path: string
  readonly requires?: HelpCenterSwitch
}

const switches = Object.entries(HelpCenterSettings.shape)
  .filter(([, schema]) => typeof schema.safeParse(undefined).data === 'boolean')
  .map(([key]) => key)

/** Why a contribution is refused at registration, or nothing. */
function contributionProblem(item: { name: string; requires?: string; label?: PerLanguage; title?: PerLanguage }, path: string, pluginId: string): string | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(item.name)) return `name '${item.name}' must be lower-case letters, digits and '-'`
  if (!path.startsWith(`/${pluginId}/`) || /[?#\\]|\/\/|\/\.\.?(\/|$)/.test(path)) return `path '${path}' must be a plain path under the plugin's own mount, '/${pluginId}/...'`
  const text = item.label ?? item.title ?? {}
  if (!Object.keys(text).length) return 'give its text in at least one language'
  if (item.requires !== undefined && !switches.includes(item.requires)) return `requires '${item.requires}' is not a help-center switch (${switches.join(', ')})`
  return undefined
}

/** Scripts other plugins add to the help center's pages (a chat launcher, a survey). */
export const pageSlots = createExtensionPoint<PageSlot>('helpcenter.page-slots', {
  check: (slot, pluginId) => (SLOT_POSITIONS.includes(slot.position) ? contributionProblem(slot, slot.scriptPath, pluginId) : `position '${slot.position}' must be one of ${SLOT_POSITIONS.join(', ')}`),
  key: (slot) => `${slot.position}:${slot.scriptPath}`,
})

/** Entries other plugins add to the help center's menu. */
export const menuItems = createExtensionPoint<MenuItem>('helpcenter.menu-items', {
  check: (item, pluginId) => contributionProblem(item, item.path, pluginId),
  key: (item) => item.path,
})
