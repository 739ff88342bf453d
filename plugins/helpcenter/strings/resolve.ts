/**
 * The `strings` a page gets (W6): code → text in the page language. For each code: the
 * service's text in that language (a custom set's, or its edit of a system set), else the
 * system default in that language, else the same two in the service's default language, else
 * any text the set has (so a page never shows an empty label), else the code itself.
 */
import type { Queryable } from '../../../core/mod.ts'
import { SYSTEM_STRINGS, type SystemString } from './system.ts'
import { storedSets, type StoredSet, type Texts } from './store.ts'

/** The text of one set in `language`, per the fallback above. */
export function textOf(code: string, edited: Texts | undefined, defaults: Partial<SystemString> | undefined, language: string, defaultLanguage: string): string {
  const pick = (lang: string) => edited?.[lang] ?? (defaults as Texts | undefined)?.[lang]
  return pick(language) ?? pick(defaultLanguage) ?? Object.values(edited ?? {})[0] ?? Object.values(defaults ?? {})[0] ?? code
}

/** Every code's text in `language`, out of the stored sets (pure: the pages may cache it). */
export function resolveFrom(stored: readonly StoredSet[], language: string, defaultLanguage: string): Record<string, string> {
  const edits = new Map(stored.map((set) => [set.code, set]))
  const strings: Record<string, string> = {}
  for (const [code, defaults] of Object.entries(SYSTEM_STRINGS)) strings[code] = textOf(code, edits.get(code)?.texts, defaults, language, defaultLanguage)
  for (const set of stored) if (!set.system) strings[set.code] = textOf(set.code, set.texts, undefined, language, defaultLanguage)
  return strings
}

/** The `strings` of a page in `language` for the service whose transaction `tx` is. */
export async function resolveStrings(tx: Queryable, service: { readonly defaultLanguage: string }, language: string): Promise<Record<string, string>> {
  return resolveFrom(await storedSets(tx), language, service.defaultLanguage)
}
