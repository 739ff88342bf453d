/**
 * Compiles a service's active triggers into closures once, so evaluating an event is a walk over
 * plain functions: regular expressions are compiled, comparison values lower-cased, category
 * conditions turned into sets of the category and all its sub-categories, and each field
 * condition bound to the field's kind. Nothing here touches the database; the runner builds the
 * {@link TicketFacts} of an event once and {@link evaluateTriggers} checks every trigger on them.
 *
 * Semantics, per operator (text comparisons ignore case):
 * - `is` / `is-not`: equality; on a category, "is X" holds for X and every category below it.
 *   With `assignee` / `group`, the value `null` means "nobody".
 * - `contains` / `not-contains`: substring on text; membership on multi-valued fields.
 * - `starts-with`, `regex` (JavaScript, case-insensitive, Unicode): text only.
 * - `greater` / `less`: numbers, and dates or date-times (compared as instants; a range compares its start).
 * - `changed`: the event changed the attribute (creation changes nothing).
 * - `changed-to`: it changed, and the value now satisfies `is`.
 * A missing value (no requester, empty field) satisfies only the negative operators.
 */
import type { ChoiceDetails, FieldDefinition } from '../fields/types.ts'
import type { CategoryTree } from '../categories/tree.ts'
import { changedKey, type Attribute, type Condition, type EventKind, type Trigger, type TriggerResult, type ValueKind } from './model.ts'

/** What conditions look at, computed once per event. */
export interface TicketFacts {
  readonly kind: EventKind
  /** Attribute names the event changed, as in events' `changed` lists (`status`, `fields.<code>`...). */
  readonly changed: ReadonlySet<string>
  readonly channel: string
  readonly status: string
  readonly intakeCategoryId: string | null
  readonly processingCategoryId: string | null
  /** Lower case; empty when the ticket has no requester address. */
  readonly requesterEmail: string
  readonly requesterDomain: string
  readonly title: string
  readonly content: string
  /** Lower-cased once per event, so text tests over many triggers do not redo it. */
  readonly titleLower: string
  readonly contentLower: string
  readonly assigneeAgentId: string | null
  readonly assigneeGroupId: string | null
  /** Field values by code; personal-info values only when a condition needs them (see {@link CompiledTriggers.secretCodes}). */
  readonly fields: Readonly<Record<string, unknown>>
}

export interface CompiledTrigger {
  readonly id: string
  readonly title: string
  readonly position: number
  readonly results: readonly TriggerResult[]
  readonly matches: (facts: TicketFacts) => boolean
}

export interface CompiledTriggers {
  /** Active triggers in order. */
  readonly triggers: readonly CompiledTrigger[]
  /** Personal-info field codes some condition reads: only these are decrypted per event. */
  readonly secretCodes: ReadonlySet<string>
  /** Whether any trigger assigns (the runner then loads the agents before its transaction). */
  readonly assigns: boolean
}

/** What compiling needs besides the triggers: the category trees and the field definitions. */
export interface CompileEnv {
  readonly intake: CategoryTree
  readonly processing: CategoryTree
  readonly fields: ReadonlyMap<string, Pick<FieldDefinition, 'code' | 'type' | 'personalInfo' | 'details'>>
}

type Test = (facts: TicketFacts) => boolean

export function fieldValueKind(field: Pick<FieldDefinition, 'type' | 'details'>): ValueKind {
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'email':
    case 'phone':
      return 'text'
    case 'number':
      return 'number'
    case 'date':
    case 'datetime':
      return 'date'
    case 'radio':
    case 'dropdown':
      return 'choice'
    case 'multi-select':
      return 'multi'
    case 'checkbox':
      return (field.details as Partial<ChoiceDetails>).options?.length ? 'multi' : 'yes-no'
    default: {
      const unreachable: never = field.type
      throw new Error(`unknown field type ${String(unreachable)}`)
    }
  }
}

/** The kind of value an attribute holds; null for a field code the service does not have. */
export function valueKindOf(condition: Pick<Condition, 'attribute' | 'field'>, fields: CompileEnv['fields']): ValueKind | null {
  const attribute: Attribute = condition.attribute
  switch (attribute) {
    case 'event':
      return 'event'
    case 'channel':
    case 'status':
      return 'enum'
    case 'intakeCategory':
    case 'processingCategory':
      return 'category'
    case 'requesterEmail':
    case 'requesterDomain':
    case 'title':
    case 'content':
      return 'text'
    case 'assignee':
    case 'group':
      return 'ref'
    case 'field': {
      const field = condition.field === undefined ? undefined : fields.get(condition.field)
      return field ? fieldValueKind(field) : null
    }
    default: {
      const unreachable: never = attribute
      throw new Error(`unknown attribute ${String(unreachable)}`)
    }
  }
}

/** Every category id mapped to itself and the ids below it. */
export function subtreeSets(tree: CategoryTree): Map<string, Set<string>> {
  const sets = new Map<string, Set<string>>()
  for (const node of tree.depthFirst()) {
    for (const ancestor of node.pathIds) {
      let set = sets.get(ancestor)
      if (!set) sets.set(ancestor, (set = new Set()))
      set.add(node.id)
    }
  }
  return sets
}

const lower = (value: unknown) => (value === null || value === undefined ? '' : String(value).toLowerCase())

function instant(value: unknown): number {
  const text = value !== null && typeof value === 'object' && 'from' in value ? (value as { from: string }).from : value
  return typeof text === 'string' ? Date.parse(text) : NaN
}

/** The getter of an attribute's value on the facts. */
function getter(condition: Condition): (facts: TicketFacts) => unknown {
  const attribute: Attribute = condition.attribute
  switch (attribute) {
    case 'event':
      return (f) => f.kind
    case 'channel':
      return (f) => f.channel
    case 'status':
      return (f) => f.status
    case 'intakeCategory':
      return (f) => f.intakeCategoryId
    case 'processingCategory':
      return (f) => f.processingCategoryId
    case 'requesterEmail':
      return (f) => f.requesterEmail
    case 'requesterDomain':
      return (f) => f.requesterDomain
    case 'title':
      return (f) => f.title
    case 'content':
      return (f) => f.content
    case 'assignee':
      return (f) => f.assigneeAgentId
    case 'group':
      return (f) => f.assigneeGroupId
    case 'field': {
      const code = condition.field!
      return (f) => f.fields[code]
    }
    default: {
      const unreachable: never = attribute
      throw new Error(`unknown attribute ${String(unreachable)}`)
    }
  }
}

/** The value lower-cased, for text comparisons: title and content come lower-cased with the facts. */
function lowerGetter(condition: Condition, get: (f: TicketFacts) => unknown): (f: TicketFacts) => string {
  if (condition.attribute === 'title') return (f) => f.titleLower
  if (condition.attribute === 'content') return (f) => f.contentLower
  return (f) => lower(get(f))
}

/** The `is` test of a condition (also what `changed-to` checks after the change). */
function equalityTest(condition: Condition, kind: ValueKind, get: (f: TicketFacts) => unknown, sets: { intake: () => Map<string, Set<string>>; processing: () => Map<string, Set<string>> }): Test {
  const value = condition.value ?? null
  switch (kind) {
    case 'event':
    case 'enum':
    case 'choice':
      return (f) => get(f) === value
    case 'ref':
      return value === null ? (f) => get(f) === null : (f) => get(f) === value
    case 'category': {
      const members = (condition.attribute === 'intakeCategory' ? sets.intake() : sets.processing()).get(String(value)) ?? new Set<string>()
      return (f) => {
        const id = get(f) as string | null
        return id !== null && members.has(id)
      }
    }
    case 'text': {
      const wanted = lower(value)
      const read = lowerGetter(condition, get)
      return (f) => {
        const actual = read(f)
        return actual !== '' && actual === wanted
      }
    }
    case 'number': {
      const wanted = Number(value)
      return (f) => {
        const actual = get(f)
        return typeof actual === 'number' && actual === wanted
      }
    }
    case 'date': {
      const wanted = instant(value)
      return (f) => instant(get(f)) === wanted
    }
    case 'yes-no': {
      const wanted = value === true || value === 'true'
      return (f) => (get(f) === true) === wanted
    }
    case 'multi':
      throw new Error('multi-valued fields have no equality test')
    default: {
      const unreachable: never = kind
      throw new Error(`unknown value kind ${String(unreachable)}`)
    }
  }
}

export function compileCondition(condition: Condition, env: CompileEnv, sets: { intake: () => Map<string, Set<string>>; processing: () => Map<string, Set<string>> }): Test {
  const kind = valueKindOf(condition, env.fields)
  // A field deleted after the trigger was saved: the condition can no longer hold.
  if (kind === null) return () => false
  const get = getter(condition)
  const operator = condition.operator
  switch (operator) {
    case 'is':
      return equalityTest(condition, kind, get, sets)
    case 'is-not': {
      const is = equalityTest(condition, kind, get, sets)
      return (f) => !is(f)
    }
    case 'contains':
    case 'not-contains': {
      let test: Test
      if (kind === 'multi') {
        const wanted = String(condition.value ?? '')
        test = (f) => {
          const actual = get(f)
          return Array.isArray(actual) && actual.includes(wanted)
        }
      } else {
        const wanted = lower(condition.value)
        const read = lowerGetter(condition, get)
        test = (f) => read(f).includes(wanted)
      }
      return operator === 'contains' ? test : (f) => !test(f)
    }
    case 'starts-with': {
      const wanted = lower(condition.value)
      const read = lowerGetter(condition, get)
      return (f) => {
        const actual = read(f)
        return actual !== '' && actual.startsWith(wanted)
      }
    }
    case 'regex': {
      const regex = new RegExp(String(condition.value), 'iu')
      return (f) => {
        const actual = get(f)
        return actual !== null && actual !== undefined && regex.test(String(actual))
      }
    }
    case 'greater':
    case 'less': {
      const read = kind === 'date' ? instant : (v: unknown) => (typeof v === 'number' ? v : NaN)
      const bound = read(condition.value)
      // NaN compares false either way: a missing value is neither greater nor less.
      return operator === 'greater' ? (f) => read(get(f)) > bound : (f) => read(get(f)) < bound
    }
    case 'changed': {
      const key = changedKey(condition.attribute, condition.field)
      return key === null ? () => false : (f) => f.changed.has(key)
    }
    case 'changed-to': {
      const key = changedKey(condition.attribute, condition.field)
      if (key === null) return () => false
      const is = equalityTest(condition, kind, get, sets)
      return (f) => f.changed.has(key) && is(f)
    }
    default: {
      const unreachable: never = operator
      throw new Error(`unknown operator ${String(unreachable)}`)
    }
  }
}

export function compileTriggers(triggers: readonly Trigger[], env: CompileEnv): CompiledTriggers {
  let intake: Map<string, Set<string>> | undefined
  let processing: Map<string, Set<string>> | undefined
  const sets = { intake: () => (intake ??= subtreeSets(env.intake)), processing: () => (processing ??= subtreeSets(env.processing)) }
  const secretCodes = new Set<string>()
  const compiled: CompiledTrigger[] = []
  let assigns = false
  for (const trigger of triggers) {
    if (!trigger.active) continue
    const all = trigger.conditions.all.map((c) => compileCondition(c, env, sets))
    const any = trigger.conditions.any.map((c) => compileCondition(c, env, sets))
    for (const c of [...trigger.conditions.all, ...trigger.conditions.any]) {
      if (c.attribute === 'field' && c.field && env.fields.get(c.field)?.personalInfo) secretCodes.add(c.field)
    }
    if (trigger.results.some((r) => r.type === 'assign')) assigns = true
    compiled.push({ id: trigger.id, title: trigger.title, position: trigger.position, results: trigger.results, matches: matcher(all, any) })
  }
  return { triggers: compiled, secretCodes, assigns }
}

/** All of `all`, and at least one of `any` when it has any. Loops, not `every`/`some`: this runs per trigger per event. */
function matcher(all: readonly Test[], any: readonly Test[]): Test {
  return (facts) => {
    for (let i = 0; i < all.length; i++) if (!all[i]!(facts)) return false
    if (any.length === 0) return true
    for (let i = 0; i < any.length; i++) if (any[i]!(facts)) return true
    return false
  }
}

/** The triggers that match, in order. */
export function evaluateTriggers(compiled: CompiledTriggers, facts: TicketFacts): CompiledTrigger[] {
  const matched: CompiledTrigger[] = []
  for (const trigger of compiled.triggers) if (trigger.matches(facts)) matched.push(trigger)
  return matched
}
