/**
 * E-mail settings (T7): the service's sending identity, its external mail accounts and its
 * mail layout. One migration for the three tables, since they are saved and read together.
 *
 * - `ticket_mail_settings`: one row per service, absent until an admin saves it: the
 *   representative address (where customers write and replies come back), the sender's display
 *   name, an optional Reply-To, and which external account sends (null: the platform sender).
 * - `ticket_mail_accounts`: existing mailboxes of the service, each with optional SMTP (sending)
 *   and IMAP (receiving) settings. Passwords are sealed with the tenant's field key, in a context
 *   naming the account and the protocol (`mail-account:<id>:smtp`), so a sealed value copied to
 *   another row or column does not open. The IMAP poll state (UIDVALIDITY, last UID seen, last
 *   poll and its error) is written by the inbound poller, never through the API.
 * - `ticket_mail_layouts`: the layout source (MJML or HTML), the HTML compiled from it when it
 *   was saved, and a version that grows with every save (the cache key of compiled layouts).
 */
import type { Migration } from '../../../core/mod.ts'

export const mailSettingsMigration: Migration = {
  id: '0007_mail_settings',
  sql: `
    CREATE TABLE ticket_mail_accounts (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      id uuid NOT NULL,
      address text NOT NULL,
      display_name text,
      smtp_host text,
      smtp_port integer CHECK (smtp_port BETWEEN 1 AND 65535),
      smtp_secure boolean,
      smtp_user text,
      smtp_password text,
      imap_host text,
      imap_port integer CHECK (imap_port BETWEEN 1 AND 65535),
      imap_secure boolean,
      imap_user text,
      imap_password text,
      imap_mailbox text,
      imap_enabled boolean NOT NULL DEFAULT false,
      imap_uid_validity bigint,
      imap_last_uid bigint,
      imap_polled_at timestamptz,
      imap_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id),
      CHECK ((smtp_host IS NULL) = (smtp_port IS NULL) AND (smtp_host IS NULL) = (smtp_secure IS NULL)),
      CHECK ((imap_host IS NULL) = (imap_port IS NULL) AND (imap_host IS NULL) = (imap_secure IS NULL) AND (imap_host IS NULL) = (imap_mailbox IS NULL)),
      CHECK (imap_host IS NOT NULL OR NOT imap_enabled)
    );
    CREATE UNIQUE INDEX ticket_mail_accounts_address ON ticket_mail_accounts (service_id, lower(address));
    SELECT oc_tenant_table('ticket_mail_accounts');

    CREATE TABLE ticket_mail_settings (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      representative_address text NOT NULL,
      sender_name text,
      reply_to text,
      sending_account_id uuid,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id),
      -- Deleting the sending account clears this first (same transaction), so no cascade here.
      FOREIGN KEY (service_id, sending_account_id) REFERENCES ticket_mail_accounts (service_id, id)
    );
    SELECT oc_tenant_table('ticket_mail_settings');

    CREATE TABLE ticket_mail_layouts (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL REFERENCES oc_services(id) ON DELETE CASCADE,
      format text NOT NULL CHECK (format IN ('mjml', 'html')),
      source text NOT NULL,
      html text NOT NULL,
      version integer NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id)
    );
    SELECT oc_tenant_table('ticket_mail_layouts');`,
}
