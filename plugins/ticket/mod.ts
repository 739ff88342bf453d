/**
 * The ticket plugin (T1–T9): tickets and their configuration, on the public core API only.
 * Each resource keeps its routes, schemas and storage in its own files; this declaration
 * is the plugin's whole shape on one screen.
 */
import { definePlugin, provide, unopenedSummary } from '../../core/mod.ts'
import { ticketsRef } from './api.ts'
import { startTicketsService, ticketsService } from './tickets/service.ts'
import { ticketMigrations } from './migrations.ts'
import { ticketEvents } from './events.ts'
import { TicketSettings } from './settings.ts'
import { registerTicketRoutes } from './routes/index.ts'
import { rotateTicketFieldKeys } from './tickets/rotate-keys.ts'
import { resealFlaggedFields } from './fields/reseal.ts'
import { compatMounts, compatUses } from './compat/mod.ts'
import { pollAllImapAccounts } from './mail/inbound/imap-poll.ts'
import { mailSubscribers } from './mail/agent-reply.ts'
import { rotateMailAccountKeys } from './mail/rotate-keys.ts'
import { triggerSubscribers } from './triggers/subscribers.ts'
import { TicketAgentSettings, ticketPermissions } from './agents.ts'
import { triggerResults } from './api.ts'

export default definePlugin({
  id: 'ticket',
  version: '1.0.0',
  core: '^1',
  description: 'Tickets, intake and processing categories, fields, answer templates and banned words.',
  permissions: ticketPermissions,
  agentSettings: TicketAgentSettings,
  settings: TicketSettings,
  migrations: ticketMigrations,
  events: ticketEvents,
  // The tickets service other plugins create and change tickets with (api.ts).
  provides: [provide(ticketsRef, ticketsService)],
  onBoot: startTicketsService,
  routes: registerTicketRoutes,
  // Result types other plugins add to ticket triggers (api.ts).
  extensionPoints: [triggerResults],
  // The Online Contact OPEN API (C16) at its documented paths under each service.
  mounts: compatMounts,
  uses: compatUses,
  subscribers: [...mailSubscribers, ...triggerSubscribers()],
  jobs: [
    {
      // Re-seals personal-info values after a master key is added; a cheap query when nothing is old.
      id: 'rotate-field-keys',
      cron: '*/10 * * * *',
      keyRotation: true,
      async run(ctx, tick) {
        const { rotated, failed } = await rotateTicketFieldKeys(ctx.db, ctx.crypto, { signal: tick.signal })
        if (rotated || failed.length) ctx.log.info('ticket field keys rotated', { rotated, failed })
        return `re-sealed ${rotated} tickets${unopenedSummary(failed.length, failed, (f) => `ticket ${f.ticketId} (service ${f.serviceId}): ${f.error}`)}`
      },
    },
    {
      // Seals (or opens) stored values after a field's personal-info flag changed; a cheap query when nothing was asked.
      id: 'reseal-fields',
      cron: '30 * * * * *',
      async run(ctx, tick) {
        const { moved, failed } = await resealFlaggedFields(ctx.db, ctx.crypto, { signal: tick.signal })
        if (moved || failed.length) ctx.log.info('ticket field values resealed', { moved, failed })
      },
    },
    {
      // Re-seals mail-account passwords after a master key is added; a cheap query when nothing is old.
      id: 'rotate-mail-keys',
      cron: '*/10 * * * *',
      keyRotation: true,
      async run(ctx, tick) {
        const { rotated, failed } = await rotateMailAccountKeys(ctx.db, ctx.crypto, { signal: tick.signal })
        if (rotated || failed) ctx.log.info('mail account keys rotated', { rotated, failed })
        return `re-sealed ${rotated} mail account passwords${unopenedSummary(failed)}`
      },
    },
    {
      // Incoming mail (T9): new messages of every enabled IMAP account become tickets or replies.
      id: 'poll-imap',
      cron: '0 * * * * *',
      async run(ctx, tick) {
        const polls = await pollAllImapAccounts(ctx, tick.signal)
        const taken = polls.reduce((n, p) => n + p.outcomes.length, 0)
        if (taken) ctx.log.info('imap mail taken in', { accounts: polls.length, messages: taken })
      },
    },
  ],
})
