/**
 * Mail server hosts a tenant chooses (its SMTP and IMAP servers) fall under the platform's
 * outgoing-connection rules like callback URLs: a tenant must not aim the platform's mail
 * client at the platform's own network (loopback, private, link-local addresses), unless the
 * operator allowlists them (`outboundAllowlist`). Checked when an account is saved (a 422 naming
 * the field) and again before each connection, since a name can be re-pointed after saving.
 */
import { errors, OcError, z, type OutboundGuard } from '../../../core/mod.ts'

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/
const IPV6 = /^[0-9A-Fa-f:.]+$/

export const MailHost = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .refine((host) => HOST_NAME.test(host) || (host.includes(':') && IPV6.test(host)), 'a host name such as smtp.gmail.com or an IP address, without scheme or port')
  .openapi({ example: 'smtp.gmail.com' })

export const MailPort = z.number().int().min(1, 'a port from 1 to 65535').max(65535, 'a port from 1 to 65535')

/** Checks a mail host against the outgoing rules; a refusal is a 422 whose issue names `path`. */
export async function checkMailHost(outbound: OutboundGuard, host: string, port: number, path: string): Promise<void> {
  const literal = host.includes(':') ? `[${host}]` : host
  try {
    await outbound.check(`https://${literal}:${port}/`)
  } catch (error) {
    if (error instanceof OcError && error.status === 422) throw errors.invalid([{ path, message: error.message, code: error.code }])
    throw error
  }
}
