/** Request and response schemas of the identity API: validators, types and docs in one. */
import { z } from '@hono/zod-openapi'
import type { AgentSettingsCatalogue } from './agent-settings.ts'

const Id = z.uuid()
const Timestamp = z.string().openapi({ example: '2025-01-31T09:00:00.000Z' })
export const Email = z.email().max(254).openapi({ example: 'ada@example.com' })
/** Long passphrases welcome; PBKDF2 pre-hashes long keys, so the cap is only against absurd bodies. */
export const Password = z.string().min(8, 'use at least 8 characters').max(256).openapi({ example: 'correct horse battery staple' })
export const OrgRole = z.enum(['owner', 'member']).openapi({ description: 'Owners manage members and every service of the organization' })
export const Permission = z
  .string()
  .min(1)
  .max(100)
  .openapi('Permission', { description: 'A permission an installed plugin declares (`GET /permissions` lists those of the service)', example: 'ticket' })

// ---- sign-in and sessions -------------------------------------------------------------

export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(256) }).openapi('LoginRequest')
export const RefreshBody = z.strictObject({ refreshToken: z.string().min(1).max(200) }).openapi('RefreshRequest')
export const TokenPairSchema = z
  .object({
    accessToken: z.string().openapi({ description: 'JWT (HS256); send as `Authorization: Bearer <accessToken>`' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ description: 'Seconds until the access token expires' }),
    refreshToken: z.string().openapi({ description: 'Single use: each refresh returns a new one; reusing a spent one revokes the session' }),
    refreshExpiresAt: Timestamp,
  })
  .openapi('TokenPair')

// ---- members ------------------------------------------------------------------------------

export const MemberSchema = z.object({ id: Id, email: z.string(), name: z.string(), orgRole: OrgRole, createdAt: Timestamp }).openapi('Member')
export const MemberPatch = z
  .strictObject({ orgRole: OrgRole.optional(), name: z.string().max(100).optional() })
  .openapi('MemberPatch')
export const MemberParams = z.object({ memberId: Id.openapi({ param: { name: 'memberId', in: 'path' } }) })

export const AgentGrantSchema = z
  .object({ serviceId: Id, serviceCode: z.string(), agentId: Id, role: z.enum(['admin', 'agent']), permissions: z.array(Permission) })
  .openapi('AgentGrant')
export const MeSchema = z
  .object({
    member: MemberSchema,
    organization: z.object({ id: Id, slug: z.string(), name: z.string() }),
    services: z.array(AgentGrantSchema).openapi({ description: 'Services where the member is an agent, with the grant in each' }),
  })
  .openapi('Me')

export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired'])
export const InvitationSchema = z
  .object({
    id: Id,
    email: z.string(),
    orgRole: OrgRole,
    status: InvitationStatus,
    invitedBy: z.string().nullable(),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    sentAt: Timestamp.nullable().openapi({ description: 'When the mail went out (the token exists only from then on); stays null without a mail sender, when the token was handed to the creator instead' }),
  })
  .openapi('Invitation')
export const InvitationDelivery = z
  .object({
    state: z.enum(['queued', 'not-sent']).openapi({ description: '`queued`: the mail goes out through the event outbox; `not-sent`: no mail sender is configured, hand the token over yourself' }),
    reason: z.string().nullable(),
    setting: z.string().nullable().openapi({ description: 'The setting that enables the mail', example: 'OC_SMTP_URL' }),
    token: z.string().nullable().openapi({ description: 'Only with `not-sent`, shown this once: the single-use token for POST /o/{org}/org/v1/invitations/accept' }),
    acceptUrl: z.string().nullable().openapi({ description: 'Only with `not-sent` and an `identity.invitationUrl` template: the accept link holding the token' }),
  })
  .openapi('InvitationDelivery')
export const InvitationCreated = InvitationSchema.extend({ delivery: InvitationDelivery }).openapi('InvitationCreated')
export const InvitationCreate = z.strictObject({ email: Email, orgRole: OrgRole.default('member') }).openapi('InvitationCreate')
export const InvitationParams = z.object({ invitationId: Id.openapi({ param: { name: 'invitationId', in: 'path' } }) })
export const InvitationAccept = z
  .strictObject({
    token: z.string().min(1).max(200).openapi({ description: 'The `oci_…` token from the invitation mail' }),
    password: Password.optional().openapi({ description: 'Required when the invitation creates the account' }),
    name: z.string().max(100).optional(),
  })
  .openapi('InvitationAccept')
export const InvitationAccepted = z
  .object({ member: MemberSchema, linked: z.boolean().openapi({ description: 'true when the address already had an account here' }) })
  .openapi('InvitationAccepted')

export const OperatorMemberCreate = z
  .strictObject({
    email: Email,
    name: z.string().max(100).optional(),
    orgRole: OrgRole.default('owner'),
    password: Password.optional().openapi({ description: 'Creates the member at once; without it an invitation is mailed (or, with no mail sender, its token is in the answer)' }),
  })
  .openapi('OperatorMemberCreate')
export const OperatorMemberCreated = z
  .object({ member: MemberSchema.nullable(), invitation: InvitationCreated.nullable() })
  .openapi('OperatorMemberCreated')

// ---- agents and groups ----------------------------------------------------------------

/** The agent schemas, whose `settings` are the installed plugins' per-agent settings. */
export function agentSchemas(settings: AgentSettingsCatalogue) {
  const Role = z.enum(['admin', 'agent'])
  // Each permission at most once, plus what normalization adds: a generous bound against absurd bodies.
  const Permissions = z.array(Permission).max(200)
  return {
    AgentSchema: z
      .object({
        id: Id,
        memberId: Id,
        email: z.string(),
        name: z.string(),
        role: Role,
        permissions: z.array(Permission),
        settings: settings.view,
        groupIds: z.array(Id),
        createdAt: Timestamp,
        updatedAt: Timestamp,
      })
      .openapi('Agent'),
    AgentCreate: z
      .strictObject({
        memberId: Id.optional().openapi({ description: 'The member to add; or give `email`' }),
        email: Email.optional().openapi({ description: "The member's address; or give `memberId`" }),
        role: Role,
        permissions: Permissions.default([]).openapi({ description: PERMISSION_RULES }),
        settings: settings.input,
      })
      .openapi('AgentCreate'),
    AgentPatch: z
      .strictObject({ role: Role.optional(), permissions: Permissions.optional().openapi({ description: PERMISSION_RULES }), settings: settings.input })
      .openapi('AgentPatch'),
  }
}

/** How permissions are normalized, for the agent API's documentation. */
export const PERMISSION_RULES =
  'Normalized by the rules their plugins declare (`GET /permissions`): a permission brings those it implies, administrators always hold those marked `admins`, and an agent is refused one whose required permissions it lacks.'
export const AgentParams = z.object({ agentId: Id.openapi({ param: { name: 'agentId', in: 'path' } }) })

export const GroupSchema = z
  .object({ id: Id, name: z.string(), description: z.string(), agentIds: z.array(Id), createdAt: Timestamp, updatedAt: Timestamp })
  .openapi('AgentGroup')
const GroupName = z.string().trim().min(1).max(100)
export const GroupCreate = z
  .strictObject({ name: GroupName, description: z.string().max(500).default(''), agentIds: z.array(Id).max(1000).default([]) })
  .openapi('AgentGroupCreate')
export const GroupPatch = z
  .strictObject({ name: GroupName.optional(), description: z.string().max(500).optional(), agentIds: z.array(Id).max(1000).optional().openapi({ description: 'Replaces the membership' }) })
  .openapi('AgentGroupPatch')
export const GroupParams = z.object({ groupId: Id.openapi({ param: { name: 'groupId', in: 'path' } }) })
export const GroupAgentParams = GroupParams.extend({ agentId: Id.openapi({ param: { name: 'agentId', in: 'path' } }) })

export const PermissionsSchema = z
  .object({
    permissions: z.array(
      z.object({
        name: Permission,
        plugin: z.string().openapi({ description: 'The plugin that declares it' }),
        title: z.record(z.string(), z.string()).openapi({ description: 'Per language', example: { ko: '상담', en: 'Inquiries' } }),
        implies: z.array(Permission).openapi({ description: 'Held with it' }),
        requires: z.array(Permission).openapi({ description: 'An agent must hold these too' }),
        admins: z.boolean().openapi({ description: 'Administrators always hold it' }),
      }),
    ),
  })
  .openapi('Permissions')

export const ServiceMeSchema = z
  .object({
    kind: z.enum(['member', 'service-key', 'operator']),
    memberId: Id.nullable(),
    orgRole: OrgRole.nullable(),
    keyId: Id.nullable(),
    agent: z.object({ agentId: Id, role: z.enum(['admin', 'agent']), permissions: z.array(Permission) }).nullable(),
  })
  .openapi('ServiceCaller')

// ---- Open API: switch, service keys, allowlist ------------------------------------------

export const OpenApiState = z
  .object({
    enabled: z.boolean(),
    updatedAt: Timestamp.nullable(),
    orgId: z.string().openapi({ description: 'The organization id compat Open API clients put first in the signed message (`orgId`)' }),
  })
  .openapi('OpenApiState')
export const OpenApiPut = z.strictObject({ enabled: z.boolean() }).openapi('OpenApiPut')

export const ServiceKeySchema = z
  .object({
    id: Id,
    name: z.string(),
    hint: z.string().openapi({ example: 'ocs_Ab3x…', description: 'The start of the key, to recognise it; the key itself is shown only once' }),
    status: z.enum(['active', 'rotating', 'revoked', 'expired']).openapi({ description: '`rotating`: replaced, still valid until `expiresAt`' }),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    openApiSigning: z.boolean().openapi({ description: 'Kept sealed under the tenant key, so it can sign compat Open API requests; false for keys made without a master key (rotate them once one is configured)' }),
    replacedBy: Id.nullable(),
  })
  .openapi('ServiceKey')
export const ServiceKeyWithToken = ServiceKeySchema.extend({
  token: z.string().openapi({ description: 'The key: store it now, it is never shown again', example: 'ocs_…' }),
}).openapi('ServiceKeyWithToken')
export const ServiceKeyRotated = z
  .object({ key: ServiceKeyWithToken, previous: ServiceKeySchema })
  .openapi('ServiceKeyRotated')
export const ServiceKeyCreate = z.strictObject({ name: z.string().trim().min(1).max(100) }).openapi('ServiceKeyCreate')
export const ServiceKeyRotate = z
  .strictObject({ graceSeconds: z.number().int().min(0).max(7 * 86_400).optional().openapi({ description: 'How long the old key keeps working (default: the platform setting, 24 h)' }) })
  .openapi('ServiceKeyRotate')
export const ServiceKeyParams = z.object({ keyId: Id.openapi({ param: { name: 'keyId', in: 'path' } }) })

export const AllowlistEntry = z.object({ cidr: z.string(), note: z.string(), createdAt: Timestamp }).openapi('IpAllowlistEntry')
export const AllowlistSchema = z.object({ entries: z.array(AllowlistEntry) }).openapi('IpAllowlist')
export const AllowlistPut = z
  .strictObject({
    entries: z
      .array(z.strictObject({ cidr: z.string().min(1).max(64).openapi({ example: '203.0.113.0/24' }), note: z.string().max(200).default('') }))
      .max(500),
  })
  .openapi('IpAllowlistPut')
