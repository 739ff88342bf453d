/**
 * Mail as plugins see it (`ctx.mail`): the platform's own sender, or a tenant's SMTP account
 * through the transport factory the runtime entry supplies. Plugins send only from event
 * subscribers, so a refused or failed send is retried by the dispatcher.
 */
import { OcError } from '../http/errors.ts'
import type { MailOptions } from './transport.ts'
import type { PluginMail } from '../api/mail.ts'

export type { PluginMail } from '../api/mail.ts'

const notConfigured = (what: string) =>
  new OcError('OC_MAIL_NOT_CONFIGURED', `mail cannot be sent: ${what}`, { status: 503 })

export function pluginMail(options: MailOptions | undefined): PluginMail {
  return {
    from: options?.from,
    canConnect: Boolean(options?.connect),
    async send(message) {
      if (!options?.transport) throw notConfigured("the platform has no sender; set the platform option 'mail' ({ transport, from }) or OC_SMTP_URL")
      return options.transport.send({ ...message, from: message.from ?? options.from })
    },
    async sendVia(account, message) {
      if (!options?.connect) throw notConfigured("this runtime cannot connect to SMTP accounts; set the platform option 'mail.connect'")
      return options.connect(account).send({ ...message, from: message.from ?? options.from })
    },
  }
}
