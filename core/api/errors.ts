/**
 * Coded errors raised while registering and booting plugins. Each names the plugin (and the
 * other plugins involved) and what to change.
 */
import { OcError } from '../http/errors.ts'

export const PLUGIN_ERRORS = {
  OC_PLUGIN_INVALID_ID: 'plugin id must be kebab-case (a-z, 0-9 and single dashes), starting with a letter',
  OC_PLUGIN_INVALID_VERSION: 'plugin version must be a semantic version such as 1.0.0',
  OC_PLUGIN_DUPLICATE_ID: 'two plugins share one id; ids must be unique',
  OC_PLUGIN_CORE_MISMATCH: 'the plugin was written for another core version',
  OC_PLUGIN_DEPENDENCY_MISSING: 'a plugin this one depends on is not installed',
  OC_PLUGIN_DEPENDENCY_CYCLE: 'plugins depend on each other in a cycle',
  OC_PLUGIN_EVENT_NAMESPACE: "event names must start with the plugin id and a dot, e.g. 'hello.greeted'",
  OC_PLUGIN_ROUTE_ACCESS: 'every route must declare who may call it: build it with route({ access, ... })',
  OC_PLUGIN_OPERATION_ID: 'two routes of one plugin share an operationId; set route({ operationId }) on one of them',
  OC_PLUGIN_MOUNT_INVALID: "a mount path must start with '/', name at least one segment and stay out of '/api/v1'",
  OC_PLUGIN_REF_NAMESPACE: "service ref ids must be named '<provider plugin id>.<name>'",
  OC_PLUGIN_REF_DUPLICATE: 'a plugin provides one service ref twice',
  OC_PLUGIN_REF_MISSING: 'a plugin uses a service ref no installed plugin provides',
  OC_PLUGIN_REF_UNDECLARED: "a plugin used a service ref it did not declare in 'uses'",
  OC_PLUGIN_PERMISSION_NAMESPACE: "a plugin's permissions must be named '<plugin id>' or '<plugin id>.<name>'",
  OC_PLUGIN_PERMISSION_UNKNOWN: 'a permission implies or requires one that no installed plugin (of its own or of its dependsOn) declares',
  OC_PLUGIN_AGENT_SETTINGS: 'every per-agent setting of a plugin needs a default, so agents added before the plugin have a value',
  OC_PLUGIN_EXTENSION_POINT_NAMESPACE: "extension point ids must be named '<declaring plugin id>.<name>'",
  OC_PLUGIN_EXTENSION_POINT_DUPLICATE: 'a plugin declares one extension point twice',
  OC_PLUGIN_EXTENSION_POINT_MISSING: 'a plugin contributes to an extension point no installed plugin declares',
  OC_PLUGIN_EXTENSION_POINT_UNOWNED: 'a plugin read the contributions to an extension point it does not declare',
  OC_PLUGIN_CONTRIBUTION_DEPENDENCY: "a plugin contributes to an extension point of a plugin it does not list in 'dependsOn'",
  OC_PLUGIN_CONTRIBUTION_INVALID: "a contribution is refused by its extension point's check, or repeats another's key",
  OC_PLUGIN_BOOT_FAILED: 'a plugin failed in onBoot',
} as const

export type PluginErrorCode = keyof typeof PLUGIN_ERRORS

export class PluginError extends OcError {
  readonly plugin: string

  constructor(code: PluginErrorCode, plugin: string, detail: string, cause?: unknown) {
    super(code, `${code}: plugin '${plugin}' ${detail}`, { status: 500, cause })
    this.name = 'PluginError'
    this.plugin = plugin
  }
}
