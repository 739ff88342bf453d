/**
 * Checks a trigger before it is saved, naming each problem by its path (e.g.
 * `body.conditions.all.2.value`): operators that suit the attribute, values of the right kind,
 * regular expressions that compile and cannot backtrack catastrophically, field codes, category,
 * agent and group ids that exist in this service, result parameters, URLs the platform may call
 * (`ctx.outbound.check`: a private or loopback address is refused), and plugin results against
 * their action's schema and check. Every problem is reported at once.
 */
import { errors, isUuid, OcError, type FieldIssue, type PluginContext, type Queryable, type Service } from '../../../core/mod.ts'
import { loadCategoryTree } from '../categories/store.ts'
import { checkFieldPattern } from '../fields/pattern-safety.ts'
import { listFields } from '../fields/store.ts'
import type { ChoiceDetails, FieldDefinition } from '../fields/types.ts'
import { issuesFrom } from '../shared/zod-issues.ts'
import { agentExists, groupExists } from '../tickets/store.ts'
import { valueKindOf } from './compile.ts'
import { triggerActions } from './actions.ts'
import { BUILT_IN_RESULTS, CHANNEL_VALUES, EVENT_KINDS, isBuiltIn, operatorsFor, STATUS_VALUES, type AssignResult, type Condition, type Conditions, type NotifyResult, type TriggerResult } from './model.ts'

export interface TriggerDraft {
  title: string
  active: boolean
  conditions: Conditions
  results: readonly ({ type: string } & Record<string, unknown>)[]
}

export interface CheckedTrigger {
  title: string
  active: boolean
  conditions: Conditions
  results: TriggerResult[]
}


/** Returns the trigger with defaults applied, or throws 422 listing every problem. */
export async function checkTrigger(tx: Queryable, ctx: PluginContext, service: Pick<Service, 'languages' | 'defaultLanguage'>, draft: TriggerDraft): Promise<CheckedTrigger> {
  const issues: FieldIssue[] = []
  const fields = new Map((await listFields(tx, service)).map((f) => [f.code, f]))
  const trees = { intake: await loadCategoryTree(tx, 'intake'), processing: await loadCategoryTree(tx, 'processing') }
  const agents = cached((id: string) => agentExists(tx, id))
  const groups = cached((id: string) => groupExists(tx, id))

  if (!draft.conditions.all.length && !draft.conditions.any.length) {
    issues.push({ path: 'body.conditions', message: "a trigger needs at least one condition; to react to every new ticket use { attribute: 'event', operator: 'is', value: 'created' }", code: 'required' })
  }
  for (const group of ['all', 'any'] as const) {
    for (const [i, condition] of draft.conditions[group].entries()) {
      issues.push(...(await conditionIssues(condition, `body.conditions.${group}.${i}`, { fields, trees, agents, groups })))
    }
  }
  const results: TriggerResult[] = []
  for (const [i, raw] of draft.results.entries()) {
    const path = `body.results.${i}`
    const checked = await resultIssues(raw, path, { ctx, service, agents, groups })
    issues.push(...checked.issues)
    if (checked.result) results.push(checked.result)
  }
  if (issues.length) throw errors.invalid(issues)
  return { title: draft.title, active: draft.active, conditions: draft.conditions, results }
}

function cached(lookup: (id: string) => Promise<boolean>): (id: string) => Promise<boolean> {
  const seen = new Map<string, Promise<boolean>>()
  return (id) => {
    if (!isUuid(id)) return Promise.resolve(false)
    let found = seen.get(id)
    if (!found) seen.set(id, (found = lookup(id)))
    return found
  }
}

interface ConditionEnv {
  fields: ReadonlyMap<string, FieldDefinition>
  trees: { intake: { get(id: string): unknown }; processing: { get(id: string): unknown } }
  agents: (id: string) => Promise<boolean>
  groups: (id: string) => Promise<boolean>
}

async function conditionIssues(condition: Condition, path: string, env: ConditionEnv): Promise<FieldIssue[]> {
  const issue = (at: string, message: string, code: string): FieldIssue[] => [{ path: `${path}.${at}`, message, code }]
  if (condition.attribute === 'field') {
    if (!condition.field) return issue('field', "name the field by its code, e.g. { attribute: 'field', field: 'order_no', ... }", 'required')
    if (!env.fields.has(condition.field)) return issue('field', `there is no field with code '${condition.field}' in this service; use the code of an existing field`, 'unknown_field')
  } else if (condition.field !== undefined) {
    return issue('field', `'field' goes only with attribute 'field'; remove it`, 'not_allowed')
  }
  const kind = valueKindOf(condition, env.fields)!
  const allowed = operatorsFor(condition.attribute, kind, condition.field)
  if (!allowed.includes(condition.operator)) {
    return issue('operator', `'${condition.operator}' does not apply to ${condition.attribute === 'field' ? `field '${condition.field}'` : `'${condition.attribute}'`}; use one of ${allowed.join(', ')}`, 'invalid_operator')
  }
  const value = condition.value
  if (condition.operator === 'changed') return value === undefined ? [] : issue('value', "'changed' takes no value; remove it, or use 'changed-to'", 'not_allowed')
  if (value === undefined) return issue('value', `'${condition.operator}' needs a value to compare with`, 'required')
  const oneOf = (list: readonly string[], what: string) => (typeof value === 'string' && list.includes(value) ? [] : issue('value', `'${String(value)}' is not ${what}; use one of ${list.join(', ')}`, 'invalid_value'))
  switch (kind) {
    case 'event':
      return oneOf(EVENT_KINDS, 'an event kind')
    case 'enum':
      return oneOf(condition.attribute === 'status' ? STATUS_VALUES : CHANNEL_VALUES, `a ${condition.attribute}`)
    case 'category': {
      const tree = condition.attribute === 'intakeCategory' ? env.trees.intake : env.trees.processing
      const noun = condition.attribute === 'intakeCategory' ? 'intake' : 'processing'
      return typeof value === 'string' && tree.get(value) ? [] : issue('value', `there is no ${noun} category '${String(value)}' in this service`, 'not_found')
    }
    case 'ref': {
      if (value === null) return []
      const exists = condition.attribute === 'assignee' ? env.agents : env.groups
      return typeof value === 'string' && (await exists(value)) ? [] : issue('value', `there is no ${condition.attribute === 'assignee' ? 'agent' : 'group'} '${String(value)}' in this service; use its id, or null for nobody`, 'not_found')
    }
    case 'text': {
      if (typeof value !== 'string' || value === '') return issue('value', 'write the text to compare with', 'invalid_value')
      if (condition.operator !== 'regex') return []
      const check = checkFieldPattern(value)
      return check.ok ? [] : issue('value', `the regular expression ${check.reason}`, 'invalid_pattern')
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : issue('value', 'give a number', 'invalid_value')
    case 'date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? [] : issue('value', 'give a date (YYYY-MM-DD) or an ISO date-time', 'invalid_value')
    case 'choice': {
      if (typeof value !== 'string') return issue('value', 'give the option value', 'invalid_value')
      const options = (env.fields.get(condition.field!)?.details as Partial<ChoiceDetails> | undefined)?.options
      return !options?.length || options.some((o) => o.value === value) ? [] : issue('value', `'${value}' is not an option of '${condition.field}'; use one of ${options.map((o) => o.value).join(', ')}`, 'invalid_value')
    }
    case 'multi':
      return typeof value === 'string' && value !== '' ? [] : issue('value', 'give the option value to look for', 'invalid_value')
    case 'yes-no':
      return typeof value === 'boolean' ? [] : issue('value', 'give true (checked) or false', 'invalid_value')
    default: {
      const unreachable: never = kind
      throw new Error(`unknown value kind ${String(unreachable)}`)
    }
  }
}

interface ResultEnv {
  ctx: PluginContext
  service: Pick<Service, 'languages' | 'defaultLanguage'>
  agents: (id: string) => Promise<boolean>
  groups: (id: string) => Promise<boolean>
}

async function resultIssues(raw: { type: string } & Record<string, unknown>, path: string, env: ResultEnv): Promise<{ issues: FieldIssue[]; result?: TriggerResult }> {
  if (!isBuiltIn(raw.type)) return pluginResultIssues(raw, path, env)
  const parsed = BUILT_IN_RESULTS[raw.type].safeParse(raw)
  if (!parsed.success) return { issues: issuesFrom(parsed.error, path) }
  const result = parsed.data as TriggerResult
  const issues: FieldIssue[] = []
  const mustExist = async (id: string | null | undefined, at: string, noun: 'agent' | 'group') => {
    if (id && !(await (noun === 'agent' ? env.agents : env.groups)(id))) issues.push({ path: `${path}.${at}`, message: `there is no ${noun} '${id}' in this service`, code: 'not_found' })
  }
  const url = async (value: string, at: string) => {
    try {
      await env.ctx.outbound.check(value)
    } catch (error) {
      if (!(error instanceof OcError)) throw error
      issues.push({ path: `${path}.${at}`, message: error.message, code: 'refused_url' })
    }
  }
  switch (result.type) {
    case 'assign': {
      const r = result as AssignResult
      if (r.mode === 'agent' && !r.agentId) issues.push({ path: `${path}.agentId`, message: "mode 'agent' needs the agent's id", code: 'required' })
      if (r.mode !== 'agent' && r.agentId) issues.push({ path: `${path}.agentId`, message: `agentId goes with mode 'agent'; for '${r.mode}' list the agents in agentIds`, code: 'not_allowed' })
      if (r.mode === 'agent' && r.agentIds?.length) issues.push({ path: `${path}.agentIds`, message: "mode 'agent' names one agent in agentId; remove agentIds", code: 'not_allowed' })
      await mustExist(r.groupId, 'groupId', 'group')
      await mustExist(r.agentId, 'agentId', 'agent')
      for (const [i, id] of (r.agentIds ?? []).entries()) await mustExist(id, `agentIds.${i}`, 'agent')
      if (r.agentIds && new Set(r.agentIds).size !== r.agentIds.length) issues.push({ path: `${path}.agentIds`, message: 'lists an agent twice', code: 'duplicate' })
      break
    }
    case 'notify': {
      const r = result as NotifyResult
      if (r.to === 'agent' && !r.agentId) issues.push({ path: `${path}.agentId`, message: "to 'agent' needs the agent's id", code: 'required' })
      if (r.to !== 'agent' && r.agentId) issues.push({ path: `${path}.agentId`, message: "agentId goes with to 'agent'", code: 'not_allowed' })
      if (r.to !== 'group' && r.groupId) issues.push({ path: `${path}.groupId`, message: "groupId goes with to 'group'", code: 'not_allowed' })
      await mustExist(r.agentId, 'agentId', 'agent')
      await mustExist(r.groupId, 'groupId', 'group')
      for (const language of Object.keys(r.messages)) {
        if (!env.service.languages.includes(language)) issues.push({ path: `${path}.messages.${language}`, message: `'${language}' is not a help-center language of this service; use one of ${env.service.languages.join(', ')}`, code: 'unknown_language' })
      }
      if (!r.messages[env.service.defaultLanguage]) issues.push({ path: `${path}.messages.${env.service.defaultLanguage}`, message: `the message in the default language '${env.service.defaultLanguage}' is required`, code: 'required' })
      break
    }
    case 'callback':
    case 'dooray':
      await url((result as { url: string }).url, 'url')
      break
    case 'forward':
      break
    default: {
      const unreachable: never = result.type as never
      throw new Error(`unknown result type ${String(unreachable)}`)
    }
  }
  return { issues, result }
}

async function pluginResultIssues(raw: { type: string } & Record<string, unknown>, path: string, env: ResultEnv): Promise<{ issues: FieldIssue[]; result?: TriggerResult }> {
  const installed = triggerActions(env.ctx)
  const action = installed.find((a) => a.type === raw.type)
  if (!action) {
    const known = [...Object.keys(BUILT_IN_RESULTS), ...installed.map((a) => a.type)]
    return { issues: [{ path: `${path}.type`, message: `'${raw.type}' is not a result type here; use one of ${known.join(', ')}`, code: 'unknown_type' }] }
  }
  const unknown = Object.keys(raw).filter((k) => k !== 'type' && k !== 'params')
  if (unknown.length) return { issues: unknown.map((k) => ({ path: `${path}.${k}`, message: `unknown field '${k}'; a plugin result holds its settings in 'params'`, code: 'unknown_field' })) }
  const parsed = action.params.safeParse(raw.params)
  if (!parsed.success) return { issues: issuesFrom(parsed.error, `${path}.params`) }
  try {
    await action.check(parsed.data)
  } catch (error) {
    if (!(error instanceof OcError)) throw error
    const issues = error.issues?.length ? error.issues.map((i) => ({ ...i, path: `${path}.params${i.path ? `.${i.path.replace(/^(body|params)\.?/, '')}` : ''}`.replace(/\.$/, '') })) : [{ path: `${path}.params`, message: error.message, code: error.code }]
    return { issues }
  }
  return { issues: [], result: { type: raw.type, params: parsed.data } }
}
