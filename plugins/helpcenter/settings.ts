/**
 * Per-service help-center settings (W4 configuration, W5 member integration switches).
 *
 * A switched-off menu disappears from every page of the help center and its routes answer 404;
 * the member-integration secrets are accepted on write and only reported as "set".
 */
import { z } from '../../core/mod.ts'
import { MemberIntegrationSettings } from './visitors/settings.ts'

export const HelpCenterSettings = z.object({
  notices: z.boolean().default(true).describe('Show the notices menu and serve its pages'),
  faq: z.boolean().default(true).describe('Show the FAQ menu and serve its pages'),
  inquiry: z.boolean().default(true).describe('Show the inquiry form and accept inquiries'),
  inquiryHistory: z.boolean().default(true).describe('Show signed-in members their inquiry history'),
  chat: z.boolean().default(false).describe("Show the chat launcher that the chat plugin contributes"),
  ...MemberIntegrationSettings.shape,
})
export type HelpCenterSettings = z.infer<typeof HelpCenterSettings>
