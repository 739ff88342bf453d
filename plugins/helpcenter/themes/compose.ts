/**
 * What a theme save is checked and filled with: templates left out are the default theme's
 * (so a theme may change only its home page), a page type or the layout cannot be removed,
 * and the whole set must pass the save-time checks (render/check.ts), else the save is
 * refused with an issue per template naming the line and the problem.
 */
import type { FieldIssue } from '../../../core/mod.ts'
import { themeIssues } from '../render/check.ts'
import { themeError } from '../render/errors.ts'
import { isPageType, LAYOUT_TEMPLATE } from '../render/page-types.ts'
import { DEFAULT_THEMES, type Device } from '../default-theme/mod.ts'
import { MAX_TEMPLATES } from './schemas.ts'

/** The templates of a theme for `device`: `base` (the stored ones, or the default's) with `changes` applied. */
export function mergeTemplates(device: Device, base: Readonly<Record<string, string>> | null, changes: Readonly<Record<string, string | null>> | undefined): Record<string, string> {
  const defaults = DEFAULT_THEMES[device].templates
  const merged: Record<string, string> = { ...(base ?? defaults) }
  for (const [name, source] of Object.entries(changes ?? {})) {
    if (source !== null) merged[name] = source
    else if (isPageType(name) || name === LAYOUT_TEMPLATE) merged[name] = defaults[name]!
    else delete merged[name]
  }
  return merged
}

/** Refuses `templates` (422, an issue per problem at `<at>.<template>`) unless they may be saved. */
export async function assertTemplatesValid(templates: Readonly<Record<string, string>>, at = 'body.templates'): Promise<void> {
  const issues: FieldIssue[] = []
  const count = Object.keys(templates).length
  if (count > MAX_TEMPLATES) issues.push({ path: at, message: `a theme holds at most ${MAX_TEMPLATES} templates; this one has ${count}` })
  issues.push(...(await themeIssues(templates, at)))
  if (issues.length) {
    const first = issues[0]!
    throw themeError('HELPCENTER_TEMPLATE_INVALID', `${first.path.slice(at.length + 1) || 'templates'}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more problems, in issues)` : ''}`, issues)
  }
}
