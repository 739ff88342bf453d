/** Events the ticket plugin emits (delivered at least once; receivers dedupe by event id). */
import type { EventDeclarations } from '../../core/mod.ts'
import { ticketLifecycleEvents } from './tickets/events.ts'
import { triggerEvents } from './triggers/subscribers.ts'

export const ticketEvents: EventDeclarations = { ...ticketLifecycleEvents, ...triggerEvents }
