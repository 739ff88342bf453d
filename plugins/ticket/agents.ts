/**
 * What the ticket plugin adds to the agent model: the `ticket` permission its routes ask for,
 * and per agent the ticket-assignment switch and the cap of open tickets that assignment triggers
 * respect (triggers/assign.ts). Service admins set them through the agent API
 * (`settings.ticket`); the values live with the agent, in the core's `oc_agents.plugin_settings`.
 */
import { type Migration, type PermissionDeclaration, z } from '../../core/mod.ts'

export const ticketPermissions: Record<string, PermissionDeclaration> = {
  ticket: { title: { ko: '티켓', en: 'Tickets' } },
}

export const TicketAgentSettings = z.object({
  assignment: z.boolean().default(true).describe('Assignment triggers may give this agent tickets'),
  assignmentCap: z.number().int().min(0).max(10_000).nullable().default(null).describe('Most open (not completed) tickets at once; null for no cap'),
})
export type TicketAgentSettings = z.infer<typeof TicketAgentSettings>

/**
 * Databases made before per-agent settings were the plugins' kept the ticket switch and the cap
 * as columns of `oc_agents`; their values move into `plugin_settings.ticket` and the switch column
 * goes. The cap column stays for the chat plugin, whose cap it was too, to take.
 */
export const agentSettingsMigration: Migration = {
  id: '0018_agent_settings',
  sql: `
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'oc_agents' AND column_name = 'ticket_assignment') THEN
        UPDATE oc_agents SET plugin_settings = plugin_settings || jsonb_build_object('ticket', jsonb_build_object('assignment', ticket_assignment, 'assignmentCap', assignment_cap));
        ALTER TABLE oc_agents DROP COLUMN ticket_assignment;
      END IF;
    END $$;`,
}
