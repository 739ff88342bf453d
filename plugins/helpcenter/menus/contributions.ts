/**
 * What other plugins contribute to the help center (api.ts `pageSlots`, `menuItems`) as a page of
 * one service and language shows it: contributions whose `requires` switch is off are left out,
 * texts are picked for the language (the contribution's first language stands in), and paths
 * become full paths under the service's prefix.
 */
import type { Queryable } from '../../../core/mod.ts'
import { menuItems, pageSlots, type PerLanguage, type SlotPosition } from '../api.ts'
import type { HelpCenterContext } from '../context.ts'

export interface VisibleSlot {
  readonly pluginId: string
  readonly name: string
  readonly position: SlotPosition
  readonly scriptUrl: string
  readonly label: string
}

export interface VisibleMenuItem {
  readonly pluginId: string
  readonly name: string
  readonly title: string
  readonly url: string
}

const inLanguage = (text: PerLanguage, language: string) => text[language] ?? Object.values(text)[0]!

/**
 * @example const { slots, menuItems } = await visibleContributions(ctx, tx, { servicePrefix: '/o/acme/support', language: 'ko' })
 */
export async function visibleContributions(ctx: HelpCenterContext, tx: Queryable, page: { servicePrefix: string; language: string }): Promise<{ slots: VisibleSlot[]; menuItems: VisibleMenuItem[] }> {
  const settings = await ctx.settings(tx)
  const shown = (requires: string | undefined) => requires === undefined || (settings as Record<string, unknown>)[requires] === true
  return {
    slots: ctx
      .contributions(pageSlots)
      .filter(({ value }) => shown(value.requires))
      .map(({ pluginId, value }) => ({ pluginId, name: value.name, position: value.position, scriptUrl: `${page.servicePrefix}${value.scriptPath}`, label: inLanguage(value.label, page.language) })),
    menuItems: ctx
      .contributions(menuItems)
      .filter(({ value }) => shown(value.requires))
      .map(({ pluginId, value }) => ({ pluginId, name: value.name, title: inLanguage(value.title, page.language), url: `${page.servicePrefix}${value.path}` })),
  }
}
