/** The shape of an event as subscribers and web hooks receive it. */
export interface EventEnvelope<P = unknown> {
  /** Unique per event; receivers deduplicate by it. */
  readonly id: string
  /** `<plugin id>.<name>`, e.g. `ticket.created`. */
  readonly type: string
  readonly orgId: string
  /** Null for organization-level core events (members, invitations). */
  readonly serviceId: string | null
  /** ISO 8601 time of the change that caused the event. */
  readonly occurredAt: string
  readonly payload: P
}
