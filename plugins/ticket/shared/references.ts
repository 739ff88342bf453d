/**
 * The ticket plugin's records a request body may name by id, for the core's reference check
 * (`checkReferences`): an id the service does not have (another tenant's included) is refused
 * with 422 `unknown_reference` at its field, saying what to send instead.
 */
import { tableReference } from '../../../core/mod.ts'

export const ticketReferences = {
  intakeCategory: tableReference('ticket_categories', "kind = 'intake'", 'an intake category of this service', 'send the id of one (GET /ticket/intake-categories)'),
  processingCategory: tableReference('ticket_categories', "kind = 'processing'", 'a processing category of this service', 'send the id of one (GET /ticket/processing-categories)'),
  field: tableReference('ticket_fields', null, 'a field of this service', 'send the id of one (GET /ticket/fields)'),
  answerTemplate: tableReference('ticket_answer_templates', null, 'an answer template of this service', 'send the id of one (GET /ticket/answer-templates)'),
  /** Uploaded and not yet part of a message. */
  attachment: tableReference('ticket_attachments', 'ticket_id IS NULL', 'a file uploaded to this service and not yet used by a message', 'upload it (POST /ticket/attachments) and send the id it answers'),
  ticket: tableReference('tickets', null, 'a ticket of this service', 'send its id (GET /ticket/tickets)'),
  mailAccount: tableReference('ticket_mail_accounts', null, 'a mail account of this service', 'send the id of one (GET /ticket/mail/accounts)'),
} as const
