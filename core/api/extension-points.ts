/**
 * Extension points: a plugin declares a point in `extensionPoints`, other plugins add values to
 * it in `contributes`, and the declaring plugin reads them with `ctx.contributions(point)`. Every
 * declaration and contribution is checked at registration (a point outside its plugin's
 * namespace or declared twice, a contribution to a point nobody declares, a contributor that
 * does not depend on the point's plugin, a value the point refuses: coded errors naming both
 * plugins), so a wrong contribution fails the start, never a request.
 *
 * A contribution reaches its point's plugin with the contributor's id and the contributor's own
 * plugin context: code in a contribution runs as its own plugin (its settings, log, services),
 * whichever plugin calls it. Contributions come in plugin dependency order.
 *
 * @example
 * // plugins/ticket/api.ts
 * export const triggerResults = createExtensionPoint<TriggerAction>('ticket.trigger-results', { key: (a) => a.type })
 * // plugins/ticket/mod.ts
 * extensionPoints: [triggerResults],
 * ... for (const { pluginId, value, context } of ctx.contributions(triggerResults)) ...
 * // plugins/slack/mod.ts
 * dependsOn: ['ticket'],
 * contributes: [contribute(triggerResults, slackPost)],
 */

/** A typed place other plugins contribute values to; its id is `<declaring plugin id>.<name>`. */
export interface ExtensionPoint<T> {
  readonly id: string
  /** Why a contributed value is refused (checked at registration), or nothing when it is fine. */
  check?(value: T, contributorId: string): string | undefined
  /** What must be unique among the point's contributions, e.g. a result type's name. */
  key?(value: T): string
  /** Carries the contributions' type; never set. */
  readonly __contribution?: T
}

export interface ExtensionPointOptions<T> {
  /** Refuses a value at registration by returning why: `(action, pluginId) => action.type.startsWith(`${pluginId}.`) ? undefined : '...'`. */
  check?(value: T, contributorId: string): string | undefined
  /** Two contributions with the same key are refused at registration. */
  key?(value: T): string
}

const POINT_ID = /^[a-z][a-z0-9-]*\.[a-z][a-zA-Z0-9-]*$/

/**
 * Declares an extension point; list it in the declaring plugin's `extensionPoints` and export
 * it from the plugin's `api.ts`, so contributors can name it.
 *
 * @example
 * export const menuItems = createExtensionPoint<MenuItem>('console.menu-items', {
 *   check: (item) => (item.label ? undefined : 'a menu item needs a label'),
 *   key: (item) => item.path,
 * })
 */
export function createExtensionPoint<T>(id: string, options: ExtensionPointOptions<T> = {}): ExtensionPoint<T> {
  if (!POINT_ID.test(id)) throw new TypeError(`extension point id '${id}' must be '<plugin id>.<name>', such as 'helpcenter.page-slots'`)
  return Object.freeze({ id, check: options.check, key: options.key })
}

/** One value a plugin adds to another plugin's extension point, as `contribute` makes it. */
export interface Contribution {
  readonly point: ExtensionPoint<unknown>
  readonly value: unknown
}

/**
 * Pairs a point with the value contributed to it, typed together; list it in `contributes`.
 *
 * @example
 * contributes: [contribute(triggerResults, { type: 'slack.post', title: 'Post to Slack', params, run })]
 */
export function contribute<T>(point: ExtensionPoint<T>, value: NoInfer<T>): Contribution {
  return { point: point as ExtensionPoint<unknown>, value }
}

/** A contribution as the point's plugin reads it: the value, who gave it, and that plugin's context to run it with. */
export interface InstalledContribution<T, C = unknown> {
  readonly pluginId: string
  readonly value: T
  /** The contributor's own plugin context: pass it to the value's code, so it runs as its own plugin. */
  readonly context: C
}

