/**
 * The requester's e-mail address under the personal-info flag of the help center's `email`
 * system field (S3). Where the service marks that field personal info, the address is stored
 * like any personal-info value: sealed in `secret_fields.email` (context `field:email`) with a
 * blind index `email:<token>`, and the `requester_email` column stays NULL. Elsewhere it is the
 * plain column. No other field can hold the code `email` (system codes are reserved).
 *
 * Writers go through {@link storeRequesterEmail}. Readers that need the address (views, mail,
 * triggers) open the row first with {@link withRequesterEmail}; what leaves the platform without
 * decryption (callback payloads) reads the column, which is NULL when sealed.
 */
import type { Queryable, TenantCrypto } from '../../../core/mod.ts'
import type { FieldDefinition } from '../fields/types.ts'
import { systemFieldIsPersonal } from '../fields/store.ts'
import { fieldContext, sealFieldValues, searchTokens, type StoredFieldValues } from './field-values.ts'
import type { TicketRow } from './store.ts'

export const REQUESTER_EMAIL_CODE = 'email'

const definition = (personalInfo: boolean): Pick<FieldDefinition, 'code' | 'personalInfo'> => ({ code: REQUESTER_EMAIL_CODE, personalInfo })

/** Whether the service keeps requester addresses sealed (its `email` system field is personal info). */
export const requesterEmailSealed = (tx: Queryable): Promise<boolean> => systemFieldIsPersonal(tx, REQUESTER_EMAIL_CODE)

/**
 * Where `email` goes: the column value, and the sealed values with the address sealed and
 * indexed (or any sealed address removed, when it is plain or cleared).
 */
export async function storeRequesterEmail(email: string | null, sealed: boolean, crypto: () => TenantCrypto, into: StoredFieldValues): Promise<{ column: string | null; stored: StoredFieldValues }> {
  if (sealed && email !== null) return { column: null, stored: await sealFieldValues(crypto, [definition(true)], { [REQUESTER_EMAIL_CODE]: email }, into) }
  return { column: email, stored: await sealFieldValues(crypto, [definition(false)], { [REQUESTER_EMAIL_CODE]: null }, into) }
}

/** The row with its requester address in `requester_email` and not among the sealed values: what readers of the address work on. */
export async function withRequesterEmail<R extends Pick<TicketRow, 'requester_email' | 'secret_fields'>>(row: R, crypto: () => TenantCrypto): Promise<R> {
  const sealed = row.secret_fields[REQUESTER_EMAIL_CODE]
  if (sealed === undefined) return row
  const { [REQUESTER_EMAIL_CODE]: _address, ...secret } = row.secret_fields
  return { ...row, requester_email: JSON.parse(await crypto().decrypt(sealed, fieldContext(REQUESTER_EMAIL_CODE))) as string, secret_fields: secret }
}

/** The blind-index entries a sealed `address` may be stored under (any key version held), to find its tickets: `secret_index && $tokens`. */
export const requesterEmailTokens = (address: string, crypto: TenantCrypto): Promise<string[]> => searchTokens(crypto, REQUESTER_EMAIL_CODE, address)
