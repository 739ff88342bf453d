/** Per-service ticket settings. */
import { z } from '../../core/mod.ts'

export const TicketSettings = z.object({})
