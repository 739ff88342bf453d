/**
 * Bootstrap commands: the same operations as the operator API, for a fresh installation
 * before anyone holds a token, and for scripts.
 */
import type { Platform } from '../core/platform.ts'
import { createOperatorToken } from '../core/identity/operator-tokens.ts'
import { organizations, services } from '../core/tenancy/repository.ts'
import { ContractPut, OrganizationCreate, ServiceCreate } from '../core/tenancy/schemas.ts'
import { normalizeContract } from '../core/tenancy/contract.ts'
import { describeIssues, OcError } from '../core/http/errors.ts'
import { zodIssues } from '../core/http/validation.ts'
import type { z } from 'zod'

interface Flags {
  name?: string
  languages?: string
  'default-language'?: string
  timezone?: string
  plugins?: string
  json?: string
}

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input)
  if (!result.success) throw new Error(`${what}: ${describeIssues(zodIssues(result.error, ''))}`)
  return result.data
}

/** Runs one bootstrap command and returns what to print. */
export async function bootstrap(platform: Platform, command: string, args: string[], flags: Flags): Promise<string> {
  const { db } = platform
  const installed = new Map(platform.plugins.map((p) => [p.id, p]))
  const orgOf = async (slug: string) => {
    const org = await organizations.bySlug(db, slug)
    if (!org) throw new Error(`no organization '${slug}'`)
    return org
  }

  switch (command) {
    case 'operator-token': {
      if (args[0] !== 'create') throw new Error("usage: opencontact operator-token create [--name NAME]")
      const { token } = await createOperatorToken(db, flags.name ?? 'cli')
      return `operator token (shown once, keep it safe):\n${token}`
    }
    case 'org': {
      const [verb, slug] = args
      if (verb !== 'create' || !slug) throw new Error('usage: opencontact org create <slug> [--name NAME]')
      const input = parse(OrganizationCreate, { slug, name: flags.name ?? slug }, 'organization')
      const org = await organizations.create(db, input)
      if (!org) throw new Error(`organization '${slug}' exists already`)
      return `created organization ${org.slug} (${org.id})`
    }
    case 'service': {
      const [verb, orgSlug, code] = args
      if (verb !== 'create' || !orgSlug || !code) throw new Error('usage: opencontact service create <org> <code> [--name NAME] ...')
      const org = await orgOf(orgSlug)
      const input = parse(ServiceCreate, {
        code,
        name: flags.name ?? code,
        ...(flags['default-language'] ? { defaultLanguage: flags['default-language'] } : {}),
        ...(flags.languages ? { languages: flags.languages.split(',') } : {}),
        ...(flags.timezone ? { timezone: flags.timezone } : {}),
      }, 'service')
      const service = await services.create(db, org.id, { ...input, languages: input.languages ?? [input.defaultLanguage] }, { plugins: {} })
      if (!service) throw new Error(`service '${code}' exists already in '${orgSlug}'`)
      return `created service ${org.slug}/${service.code} (${service.id})`
    }
    case 'contract': {
      const [verb, orgSlug, code] = args
      if (verb !== 'set' || !orgSlug || !code) throw new Error('usage: opencontact contract set <org> <service> (--plugins a,b | --json JSON)')
      const service = await services.byCode(db, (await orgOf(orgSlug)).id, code)
      if (!service) throw new Error(`no service '${code}' in '${orgSlug}'`)
      const raw = flags.json ? JSON.parse(flags.json) : { plugins: Object.fromEntries((flags.plugins ?? '').split(',').filter(Boolean).map((id) => [id, {}])) }
      const contract = normalizeContract(parse(ContractPut, raw, 'contract'), installed)
      await services.setContract(db, service.id, contract)
      return `contract of ${orgSlug}/${code}: ${Object.keys(contract.plugins).join(', ') || 'no plugins'}`
    }
    default:
      throw new OcError('OC_BAD_REQUEST', `unknown bootstrap command '${command}'`)
  }
}
