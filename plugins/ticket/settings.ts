/**
 * Per-service ticket settings.
 *
 * Repeat-inquiry blocking (the seed product's spam limits, answered by the compat OPEN API as
 * resultCode 1001/1002, see compat/repeat-inquiries.ts): off by default; when on, one customer
 * (the `OC-Client-IP` of the call, else the end user's usercode, else e-mail) may file an
 * inquiry at most once per interval and at most a daily limit of them in 24 hours.
 */
import { z } from '../../core/mod.ts'

export const TicketSettings = z.object({
  repeatInquiryBlocking: z.boolean().default(false).describe('Refuse compat OPEN API inquiries past the limits below (resultCode 1001/1002)'),
  repeatInquiryIntervalSeconds: z.number().int().min(1).max(86_400).default(60).describe("Least seconds between two inquiries of one customer; sooner is resultCode 1001"),
  repeatInquiryDailyLimit: z.number().int().min(1).max(10_000).default(10).describe('Most inquiries of one customer in 24 hours; past it is resultCode 1002'),
})
export type TicketSettings = z.infer<typeof TicketSettings>
