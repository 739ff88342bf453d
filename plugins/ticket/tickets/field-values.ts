/**
 * Turning validated field values into what a ticket row stores, and back: personal-info values
 * are sealed with the tenant's field key (context `field:<code>`, so a value cannot be moved to
 * another field) and indexed with a blind index for exact-match search; everything else stays
 * plain JSON. Values are serialized as JSON before sealing so non-text values round-trip.
 */
import type { TenantCrypto } from '../../../core/mod.ts'
import type { FieldDefinition } from '../fields/types.ts'
import type { FieldValue } from '../fields/validate-values.ts'

export interface StoredFieldValues {
  plain: Record<string, unknown>
  secret: Record<string, string>
  /** `<code>:<blind index token>` per personal-info value. */
  index: string[]
}

/** The text a value is blind-indexed (and searched) by: strings as they are, other values as JSON. */
export const indexText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))

export const fieldContext = (code: string) => `field:${code}`

export async function sealFieldValues(crypto: () => TenantCrypto, definitions: readonly Pick<FieldDefinition, 'code' | 'personalInfo'>[], values: Record<string, FieldValue | null>, into: StoredFieldValues): Promise<StoredFieldValues> {
  const byCode = new Map(definitions.map((d) => [d.code, d]))
  const plain = { ...into.plain }
  const secret = { ...into.secret }
  let index = [...into.index]
  for (const [code, value] of Object.entries(values)) {
    const personal = byCode.get(code)?.personalInfo ?? code in secret
    delete plain[code]
    delete secret[code]
    index = index.filter((entry) => !entry.startsWith(`${code}:`))
    if (value === null) continue
    if (personal) {
      const fields = crypto()
      secret[code] = await fields.encrypt(JSON.stringify(value), fieldContext(code))
      index.push(`${code}:${await fields.blindIndex(code, indexText(value))}`)
    } else {
      plain[code] = value
    }
  }
  return { plain, secret, index }
}

export async function openFieldValues(crypto: () => TenantCrypto, stored: { plain: Record<string, unknown>; secret: Record<string, string> }): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...stored.plain }
  const codes = Object.keys(stored.secret)
  if (codes.length) {
    const fields = crypto()
    for (const code of codes) out[code] = JSON.parse(await fields.decrypt(stored.secret[code]!, fieldContext(code)))
  }
  return out
}

/** Index entries that match `value` in field `code` under any key version held. */
export async function searchTokens(crypto: TenantCrypto, code: string, value: string): Promise<string[]> {
  return (await crypto.blindIndexSearch(code, value)).map((token) => `${code}:${token}`)
}
