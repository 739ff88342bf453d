/**
 * The member-integration settings (W5) that settings.ts spreads into the help center's settings:
 * the switches of the guide's "회원 연동" screen and the two sign-in schemes' keys.
 *
 * The seed product signs its member-integration token with an organization key; the platform has
 * no such key (organizations hold members and services, not integration secrets), and a key per
 * service is narrower: a leaked key signs members into one help center only, and each service's
 * administrators rotate their own. So the key is a secret of these settings, write-only.
 */
import { secret, z } from '../../../core/mod.ts'

const HttpUrl = z.url({ protocol: /^https?$/ })

export const MemberIntegrationSettings = z.object({
  memberIntegration: z.boolean().default(false).describe('Sign members in with the tenant\'s own login (회원 연동); off: every visitor is anonymous'),
  nonMemberInquiries: z.boolean().default(true).describe('Accept inquiries from visitors who are not signed in (비회원 문의 접수)'),
  memberLoginUrl: HttpUrl.optional().describe("The tenant's login page; the help center's sign-in link goes there with ?returnUrl=<the page>"),
  memberTokenKey: secret(z.string().min(16, 'the member-integration key needs at least 16 characters'))
    .optional()
    .describe('Key of the member-integration token (HMAC-SHA256 over service&usercode&...&time)'),
  jwtSecret: secret(z.string().min(32, 'an HS256 secret needs at least 32 characters (256 bits)'))
    .optional()
    .describe('Shared secret of the JWT hand-off (HS256 only)'),
  jwtJwksUrl: HttpUrl.optional().describe('JWKS URL of the JWT hand-off (RS256 or ES256 keys), fetched through the outbound guard'),
  jwtIssuer: z.string().min(1).optional().describe('When set, hand-off tokens must carry this iss'),
  jwtAudience: z.string().min(1).optional().describe('When set, hand-off tokens must carry this aud'),
})
export type MemberIntegrationSettings = z.infer<typeof MemberIntegrationSettings>
