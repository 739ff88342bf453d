/**
 * Banned words (T8). `folded` is the word as matching sees it (NFKC, lowercase, spaces as one
 * gap), so two spellings that would match the same text cannot both be stored.
 */
import type { Migration } from '../../../core/mod.ts'

export const bannedWordMigration: Migration = {
  id: '0004_banned_words',
  sql: `
    CREATE TABLE ticket_banned_words (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      word text NOT NULL,
      folded text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      UNIQUE (service_id, folded)
    );
    SELECT oc_tenant_table('ticket_banned_words');`,
}
