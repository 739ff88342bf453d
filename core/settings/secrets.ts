/**
 * Secrets in plugin settings (C9) are write-only: accepted on write, never sent back. A read
 * says which secrets are set; a write that leaves a secret out keeps the stored one, so an
 * admin can change other settings without re-entering every password.
 */
import { z } from 'zod'

/**
 * Marks a settings field as a secret (top-level fields only).
 * @example settings: z.object({ apiKey: secret(z.string()).optional() })
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ writeOnly: true, 'x-secret': true }) as T
}

function isSecret(schema: z.ZodType): boolean {
  for (let s: z.ZodType | undefined = schema; s; s = unwrap(s)) {
    if (s.meta()?.['x-secret'] === true) return true
  }
  return false
}

function unwrap(schema: z.ZodType): z.ZodType | undefined {
  const inner = (schema as { unwrap?: () => z.ZodType }).unwrap
  if (typeof inner === 'function') return inner.call(schema)
  const def = (schema as unknown as { def?: { innerType?: z.ZodType } }).def
  return def?.innerType
}

/** The top-level keys of a settings schema that hold secrets. */
export function secretKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isSecret(field as z.ZodType))
    .map(([key]) => key)
}

/** Removes secrets from stored values; lists which ones are set. */
export function redact(values: Record<string, unknown>, secrets: readonly string[]): { values: Record<string, unknown>; secretsSet: string[] } {
  const shown = { ...values }
  const set: string[] = []
  for (const key of secrets) {
    if (shown[key] !== undefined && shown[key] !== null) set.push(key)
    delete shown[key]
  }
  return { values: shown, secretsSet: set }
}

/** Fills secrets a write left out from the stored values. */
export function keepSecrets(input: Record<string, unknown>, stored: Record<string, unknown>, secrets: readonly string[]): Record<string, unknown> {
  const merged = { ...input }
  for (const key of secrets) if (!(key in merged) && key in stored) merged[key] = stored[key]
  return merged
}
