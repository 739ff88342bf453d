/**
 * The help center's uploaded files (W3): the guide's "파일업로드 관리", files for themes,
 * ticket templates and mail layouts that are uploaded once and linked by their public path.
 * The bytes are in the core's blob store; this table names them.
 */
import type { Migration } from '../../../core/mod.ts'

export const filesMigration: Migration = {
  id: 'visitors_0002_files',
  sql: `
    CREATE TABLE helpcenter_files (
      org_id uuid NOT NULL,
      service_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      blob_key text NOT NULL,
      file_name text NOT NULL,
      content_type text NOT NULL,
      size integer NOT NULL,
      purpose text NOT NULL CHECK (purpose IN ('theme', 'template', 'mail-layout')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (service_id, id)
    );
    SELECT oc_tenant_table('helpcenter_files');`,
}
