/** The ticket plugin's schema, in order. Each resource's file owns its tables. */
import type { Migration } from '../../core/mod.ts'
import { categoryMigration } from './categories/migrations.ts'
import { fieldMigration, fieldOptionNamesMigration } from './fields/migrations.ts'
import { answerTemplateMigration } from './answer-templates/migrations.ts'
import { bannedWordMigration } from './banned-words/migrations.ts'
import { ticketFieldMatchMigration, ticketLookupMigration, ticketMigration, ticketSearchBigramsMigration, ticketSearchMigration } from './tickets/migrations.ts'
import { mailThreadMigration } from './mail/threads.ts'
import { mailSettingsMigration } from './mail/migrations.ts'
import { triggerMigration, triggerStateCascadeMigration } from './triggers/migrations.ts'
import { compatInquiryMarksMigration, compatMigration } from './compat/migrations.ts'
import { formNotifyMigration } from './fields/form-cache.ts'
import { fieldResealMigration } from './fields/reseal.ts'
import { mailSetAsideMigration } from './mail/inbound/set-aside.ts'
import { attachmentTypeMigration } from './tickets/attachment-types.ts'
import { agentSettingsMigration } from './agents.ts'
import { ticketPageMigration } from './tickets/page-query.ts'

export const ticketMigrations: Migration[] = [
  categoryMigration,
  fieldMigration,
  answerTemplateMigration,
  bannedWordMigration,
  ticketMigration,
  mailThreadMigration,
  mailSettingsMigration,
  triggerMigration,
  compatMigration,
  formNotifyMigration,
  fieldResealMigration,
  ticketLookupMigration,
  mailSetAsideMigration,
  fieldOptionNamesMigration,
  compatInquiryMarksMigration,
  attachmentTypeMigration,
  triggerStateCascadeMigration,
  agentSettingsMigration,
  ticketSearchMigration,
  ticketFieldMatchMigration,
  ticketSearchBigramsMigration,
  ticketPageMigration,
]
