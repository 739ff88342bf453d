/**
 * The addresses a service's own mail comes from: its representative address and Reply-To (the
 * e-mail settings), every external account's address, and the platform's sender. A received
 * mail From one of them is the service talking to itself (a copy, a forwarding loop) and is
 * never taken in. Lower-cased, as intake compares them.
 */
import type { PluginContext, Queryable } from '../../../../core/mod.ts'
import { listMailAccountRows } from '../accounts.ts'
import { addressOf } from '../addresses.ts'
import { readMailSettings } from '../settings-store.ts'

export async function serviceOwnAddresses(tx: Queryable, ctx: Pick<PluginContext, 'mail'>): Promise<ReadonlySet<string>> {
  const settings = await readMailSettings(tx)
  const accounts = await listMailAccountRows(tx)
  const addresses = [settings?.representativeAddress, settings?.replyTo, ...accounts.map((a) => a.address), addressOf(ctx.mail.from)]
  return new Set(addresses.filter((a): a is string => Boolean(a)).map((a) => a.trim().toLowerCase()))
}
