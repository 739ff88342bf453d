/**
 * The ticket plugin (T1–T9): tickets and their configuration, on the public core API only.
 * Each resource keeps its routes, schemas and storage in its own files; this declaration
 * is the plugin's whole shape on one screen.
 */
import { definePlugin } from '../../core/mod.ts'
import { ticketMigrations } from './migrations.ts'
import { ticketEvents } from './events.ts'
import { TicketSettings } from './settings.ts'
import { registerTicketRoutes } from './routes/index.ts'
import { rotateTicketFieldKeys } from './tickets/rotate-keys.ts'
import { compatMounts } from './compat/mod.ts'

export default definePlugin({
  id: 'ticket',
  version: '1.0.0',
  core: '^1',
  description: 'Tickets, intake and processing categories, fields, answer templates and banned words.',
  settings: TicketSettings,
  migrations: ticketMigrations,
  events: ticketEvents,
  routes: registerTicketRoutes,
  // The Online Contact OPEN API (C16) at its documented paths under each service.
  mounts: compatMounts,
  jobs: [
    {
      // Re-seals personal-info values after a master key is added; a cheap query when nothing is old.
      id: 'rotate-field-keys',
      cron: '*/10 * * * *',
      async run(ctx, tick) {
        const { rotated, failed } = await rotateTicketFieldKeys(ctx.db, ctx.crypto, { signal: tick.signal })
        if (rotated || failed.length) ctx.log.info('ticket field keys rotated', { rotated, failed })
      },
    },
  ],
})
