/**
 * Agent permissions as a plugin declares them in `permissions` (checked and combined by
 * core/plugin/permissions.ts): a title per language and the rules that tie a permission to others.
 */
/** One permission a plugin adds to the agent model. */
export interface PermissionDeclaration {
  /** What the permission lets an agent do, per language (`{ ko, en }`), for the console's agent form. */
  readonly title: Readonly<Record<string, string>>
  /** Permissions an agent holding this one holds too. */
  readonly implies?: readonly string[]
  /** Permissions an agent must also hold to hold this one; administrators are exempt. */
  readonly requires?: readonly string[]
  /** Administrators always hold it. */
  readonly admins?: boolean
}
