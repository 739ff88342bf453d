/**
 * Text kept per help-center language (category names, field titles, help text, option labels):
 * the wire schema, and the check against the service's languages that only a request can do,
 * because the languages belong to the service, not to the schema.
 */
import { z, type FieldIssue, type Service } from '../../../core/mod.ts'

/** `{ "<language>": "<text>" }`, e.g. `{ "ko": "배송", "en": "Delivery" }`. */
export const localizedText = (maxLength: number) =>
  z.record(z.string(), z.string().trim().min(1, 'write at least one character, or leave this language out').max(maxLength))

export type LocalizedText = Record<string, string>

type Languages = Pick<Service, 'languages' | 'defaultLanguage'>

/**
 * Issues for texts in languages the service does not have, and (when `requireDefault`) for a
 * missing text in the default language, which every reader falls back to.
 */
export function localizedIssues(value: LocalizedText | undefined, path: string, service: Languages, options: { requireDefault: boolean }): FieldIssue[] {
  const issues: FieldIssue[] = []
  for (const language of Object.keys(value ?? {})) {
    if (!service.languages.includes(language)) {
      issues.push({ path: `${path}.${language}`, message: `'${language}' is not a help-center language of this service; use one of ${service.languages.join(', ')}`, code: 'unknown_language' })
    }
  }
  if (options.requireDefault && !value?.[service.defaultLanguage]) {
    issues.push({ path: `${path}.${service.defaultLanguage}`, message: `the text in the default language '${service.defaultLanguage}' is required`, code: 'required' })
  }
  return issues
}

/** The text in `language`, falling back to the default language, then to any text there is. */
export function textIn(value: LocalizedText, language: string, defaultLanguage: string): string {
  return value[language] ?? value[defaultLanguage] ?? Object.values(value)[0] ?? ''
}
