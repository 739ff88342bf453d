/** The events area: the outbox dispatcher, subscribers, dead letters, the scheduler and web hooks (C7, C11, I5). */
import type { CoreAreaFactory } from '../area.ts'

export const eventsArea: CoreAreaFactory = () => ({ id: 'events' })
