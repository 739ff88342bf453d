/**
 * Save-time checks of a theme's templates: each must parse, and each variable a page template
 * reads (through its layout and the partials it includes, followed by LiquidJS's static
 * analysis) must be one its page type has (page-types.ts). Problems come back as field issues
 * at `<at>.<template>` naming the line, column and what is wrong, so a refused save says which
 * template to fix and where.
 */
import type { FieldIssue, z } from '../../../core/mod.ts'
import type { Variable } from 'liquidjs'
import { templateError, uncachedTheme, type CompiledTheme } from './engine.ts'
import { isPageType, LAYOUT_TEMPLATE, SharedVariables, variablesOf } from './page-types.ts'

interface ZodDef {
  type: string
  shape?: Record<string, z.ZodType>
  element?: z.ZodType
  innerType?: z.ZodType
  valueType?: z.ZodType
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: ZodDef } })._zod.def

/** Properties Liquid gives strings and arrays of their own. */
const BUILT_IN = { array: ['size', 'first', 'last'], string: ['size'] } as const

/**
 * Why the variable path `segments` is not in `schema` (e.g. `'hc.nmae' is not a variable;
 * hc has: serviceName, language, …`), or null when it is. A computed segment (`a[b]`) ends the
 * check there: its value is known only when the page renders.
 */
export function unknownVariable(schema: z.ZodType, segments: readonly (string | number | Variable)[]): string | null {
  let current = schema
  const walked: string[] = []
  for (const segment of segments) {
    if (typeof segment === 'object') return null
    let def = defOf(current)
    while (def.innerType) {
      current = def.innerType
      def = defOf(current)
    }
    const name = String(segment)
    const shown = [...walked, name].join('.')
    switch (def.type) {
      case 'object': {
        const shape = def.shape ?? {}
        if (!Object.hasOwn(shape, name)) {
          const owner = walked.length ? walked.join('.') : 'the page'
          return `'${shown}' is not a variable of this page; ${owner} has: ${Object.keys(shape).join(', ') || 'nothing'}`
        }
        current = shape[name]!
        break
      }
      case 'array':
        if (typeof segment === 'number' || /^\d+$/.test(name) || name === 'first' || name === 'last') current = def.element!
        else if (name === 'size') return null
        else return `'${shown}' is not a variable of this page; ${walked.join('.')} is a list (use an index, first, last or size, or loop over it with for)`
        break
      case 'record':
        current = def.valueType!
        break
      case 'string':
      case 'enum':
        return (BUILT_IN.string as readonly string[]).includes(name) ? null : `'${shown}' is not a variable of this page; ${walked.join('.')} is text (it has only size)`
      default:
        return `'${shown}' is not a variable of this page; ${walked.join('.')} has no properties`
    }
    walked.push(name)
  }
  return null
}

const located = (at: string, file: string, line: number | null, column: number | null, message: string): FieldIssue => ({
  path: `${at}.${file}`,
  message: line === null ? message : `line ${line}, column ${column}: ${message}`,
  code: 'template_invalid',
})

/** A `{% for item in collection %}` loop: its variable stands for an element of the collection. */
interface LoopAlias {
  readonly file: string
  readonly variable: string
  /** The collection as a path (`inquiry.entries`), or null when it is not a plain path (a range, a filter). */
  readonly collection: readonly string[] | null
}

interface TagLike {
  name?: string
  variable?: string
  collection?: { getText?: () => string }
  file?: unknown
  token?: { file?: string }
}

/** Calls `visit` on every tag of the parsed templates, found by walking the syntax tree. */
function walkTags(roots: readonly unknown[], visit: (tag: TagLike) => void): void {
  const seen = new Set<unknown>()
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return
    seen.add(node)
    if (Array.isArray(node)) return node.forEach(walk)
    const tag = node as TagLike
    if (typeof tag.name === 'string') visit(tag)
    for (const [key, value] of Object.entries(node)) if (key !== 'liquid' && key !== 'token' && key !== 'tokenizer' && key !== 'collection' && key !== 'file') walk(value)
  }
  walk(roots)
}

/** Every `for` loop of the parsed templates. */
function loopAliases(roots: readonly unknown[]): LoopAlias[] {
  const found: LoopAlias[] = []
  walkTags(roots, (tag) => {
    if (tag.name !== 'for' || typeof tag.variable !== 'string' || !tag.collection?.getText) return
    const text = tag.collection.getText().trim()
    found.push({ file: tag.token?.file ?? '', variable: tag.variable, collection: /^[a-zA-Z_][\w]*(\.[a-zA-Z_][\w]*)*$/.test(text) ? text.split('.') : null })
  })
  return found
}

/** How many templates one page may pull in through include, render and layout, counting repeats (the analysis reads each). */
const MAX_TEMPLATE_VISITS = 2_000

/**
 * Problems of the include graph (include, render and layout of names written in the template):
 * a template that includes itself, directly or through others, would never finish (and its
 * analysis neither), and a diamond of includes repeated deep enough multiplies the work, so
 * both are refused before the variables are analysed.
 */
function includeGraphIssues(roots: readonly unknown[], names: readonly string[], at: string): FieldIssue[] {
  const edges = new Map<string, string[]>(names.map((name) => [name, []]))
  walkTags(roots, (tag) => {
    if ((tag.name === 'include' || tag.name === 'render' || tag.name === 'layout') && typeof tag.file === 'string' && tag.token?.file && edges.has(tag.file)) edges.get(tag.token.file)!.push(tag.file)
  })
  const issues: FieldIssue[] = []
  const visits = new Map<string, number>()
  const state = new Map<string, 'open' | 'done'>()
  const count = (name: string, path: string[]): number => {
    if (state.get(name) === 'open') {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' → ')
      issues.push({ path: `${at}.${name}`, message: `includes itself (${cycle}); a template may not include itself, directly or through others`, code: 'template_invalid' })
      return Infinity
    }
    if (state.get(name) === 'done') return visits.get(name)!
    state.set(name, 'open')
    let total = 1
    for (const child of edges.get(name) ?? []) total += count(child, [...path, name])
    state.set(name, 'done')
    visits.set(name, total)
    return total
  }
  for (const name of names) {
    const total = count(name, [])
    if (Number.isFinite(total) && total > MAX_TEMPLATE_VISITS) issues.push({ path: `${at}.${name}`, message: `pulls in ${total} templates through its includes (at most ${MAX_TEMPLATE_VISITS}); include fewer times, or fewer levels deep`, code: 'template_invalid' })
  }
  return issues
}

/**
 * The page path a loop variable's reference stands for (`n.title` in `for n in recentNotices`
 * is `recentNotices.0.title`), or null when it cannot be told (a name looped over two
 * collections in one file, assigned as well, or looping over something that is not a path).
 */
function throughLoops(segments: readonly (string | number | Variable)[], file: string, aliases: readonly LoopAlias[], assigned: ReadonlySet<string>, depth = 0): (string | number | Variable)[] | null {
  const root = String(segments[0])
  const loops = aliases.filter((a) => a.file === file && a.variable === root)
  if (depth > 8 || loops.length !== 1 || assigned.has(root) || !loops[0]!.collection) return null
  const expanded = [...loops[0]!.collection, 0, ...segments.slice(1)]
  const outer = aliases.some((a) => a.file === file && a.variable === expanded[0])
  return outer ? throughLoops(expanded, file, aliases, assigned, depth + 1) : expanded
}

/** Issues of every variable `name` (and what it includes) reads that `schema` does not have, loop variables included. */
async function variableIssues(theme: CompiledTheme, name: string, schema: z.ZodType, aliases: readonly LoopAlias[], at: string): Promise<FieldIssue[]> {
  const analysis = await theme.liquid.analyze(theme.parsed(name), { partials: true })
  const issues: FieldIssue[] = []
  const report = (variable: Variable, segments: readonly (string | number | Variable)[], loop?: string) => {
    const why = unknownVariable(schema, segments)
    if (why) issues.push(located(at, variable.location.file ?? name, variable.location.row, variable.location.col, loop ? `'${variable}' reads ${loop}: ${why}` : why))
  }
  for (const variables of Object.values(analysis.globals)) for (const variable of variables) report(variable, variable.segments)
  // Names given by assign, capture or increment are the template's own: only loop variables are followed.
  const assigned = new Set(Object.keys(analysis.locals))
  for (const [root, variables] of Object.entries(analysis.variables)) {
    if (!aliases.some((a) => a.variable === root)) continue
    for (const variable of variables) {
      const path = throughLoops(variable.segments, variable.location.file ?? name, aliases, assigned)
      if (path) report(variable, path, `an item of ${path.slice(0, path.lastIndexOf(0)).join('.')}`)
    }
  }
  return issues
}

/**
 * Every problem of `templates` (all of a theme's templates, by name), as issues at
 * `<at>.<template name>`; empty when the theme may be saved.
 */
export async function themeIssues(templates: Readonly<Record<string, string>>, at = 'body.templates'): Promise<FieldIssue[]> {
  const theme = uncachedTheme(templates)
  const issues: FieldIssue[] = []
  const parsed: unknown[] = []
  for (const name of Object.keys(templates)) {
    try {
      parsed.push(theme.parsed(name))
    } catch (error) {
      const failure = templateError(error, name)
      issues.push(located(at, failure.template, failure.line, failure.column, failure.reason))
    }
  }
  if (!issues.length) issues.push(...includeGraphIssues(parsed, Object.keys(templates), at))
  if (issues.length) return dedupe(issues)
  const aliases = loopAliases(parsed)
  for (const name of Object.keys(templates)) {
    try {
      if (isPageType(name)) issues.push(...(await variableIssues(theme, name, variablesOf(name), aliases, at)))
      // The layout serves every page, so it may read the shared variables only.
      else if (name === LAYOUT_TEMPLATE) issues.push(...(await variableIssues(theme, name, SharedVariables, aliases, at)))
    } catch (error) {
      const failure = templateError(error, name)
      issues.push(located(at, failure.template, failure.line, failure.column, failure.reason))
    }
  }
  return dedupe(issues)
}

function dedupe(issues: readonly FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
}
