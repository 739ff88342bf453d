/** Wire schemas of organizations, services and contracts: validators, types and docs in one. */
import { z } from '@hono/zod-openapi'

const slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'use 1-63 lowercase letters, digits and inner dashes (it becomes a host name label)')

/** Service codes that would shadow platform paths when the service is reached by host name. */
const RESERVED_CODES = new Set(['o', 'org', 'operator', 'docs', 'healthz', 'openapi.json', 'api'])

const code = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1-63 lowercase letters, digits, dashes and underscores, starting with a letter or digit')
  .refine((value) => !RESERVED_CODES.has(value), { message: `this code is reserved; avoid ${[...RESERVED_CODES].join(', ')}` })

const language = z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "use a language tag such as 'ko', 'en' or 'zh-CN'")

const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz })
      return true
    } catch {
      return false
    }
  },
  { message: "use an IANA time zone such as 'Asia/Seoul' or 'UTC'" },
)

export const OrganizationSchema = z
  .object({ id: z.uuid(), slug: z.string(), name: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .openapi('Organization')

export const OrganizationCreate = z.strictObject({ slug, name: z.string().min(1).max(200) }).openapi('OrganizationCreate')
export const OrganizationPatch = z.strictObject({ name: z.string().min(1).max(200).optional() }).openapi('OrganizationPatch')

export const ContractSchema = z
  .object({ plugins: z.record(z.string(), z.object({ features: z.record(z.string(), z.unknown()) })) })
  .openapi('Contract', { example: { plugins: { ticket: { features: { phoneCti: false } } } } })

export const ContractPut = z
  .strictObject({ plugins: z.record(z.string(), z.strictObject({ features: z.record(z.string(), z.unknown()).optional() })) })
  .openapi('ContractInput')

export const ServiceSchema = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    code: z.string(),
    name: z.string(),
    defaultLanguage: z.string(),
    languages: z.array(z.string()),
    timezone: z.string(),
    contract: ContractSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Service')

const serviceFields = {
  name: z.string().min(1).max(200),
  defaultLanguage: language.default('ko'),
  languages: z.array(language).min(1).max(20).optional(),
  timezone: timezone.default('Asia/Seoul'),
}

/** The default language must be one of the supported ones; it is added when `languages` is left out. */
const languagesIncludeDefault = (value: { defaultLanguage: string; languages?: string[] | undefined }, ctx: z.RefinementCtx) => {
  if (value.languages && !value.languages.includes(value.defaultLanguage)) {
    ctx.addIssue({ code: 'custom', path: ['defaultLanguage'], message: `'${value.defaultLanguage}' is not in languages; add it there or pick one of ${value.languages.join(', ')}` })
  }
}

export const ServiceCreate = z
  .strictObject({ code, ...serviceFields, contract: ContractPut.optional() })
  .superRefine(languagesIncludeDefault)
  .openapi('ServiceCreate')

export const ServicePatch = z
  .strictObject({
    name: serviceFields.name.optional(),
    defaultLanguage: language.optional(),
    languages: z.array(language).min(1).max(20).optional(),
    timezone: timezone.optional(),
  })
  .openapi('ServicePatch')

export const OrgParams = z.object({ org: z.string().openapi({ param: { name: 'org', in: 'path' }, example: 'acme' }) })
export const ServiceParams = OrgParams.extend({
  service: z.string().openapi({ param: { name: 'service', in: 'path' }, example: 'support' }),
})
