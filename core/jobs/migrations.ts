import type { Migration } from '../storage/migrations.ts'

/**
 * `oc_jobs`: one lease row per scheduled job (C11). Platform-level, not a tenant table: jobs
 * belong to the installation. `last_tick` is the cron tick most recently claimed, which makes
 * each tick run once in the cluster; `leased_until`/`lease_owner` say which instance runs it now.
 */
export const jobMigrations: Migration[] = [
  {
    id: '0011_job_leases',
    sql: `
      CREATE TABLE oc_jobs (
        id text PRIMARY KEY,
        cron text NOT NULL,
        last_tick timestamptz,
        leased_until timestamptz NOT NULL DEFAULT '-infinity',
        lease_owner text,
        last_started_at timestamptz,
        last_finished_at timestamptz,
        last_error text,
        runs bigint NOT NULL DEFAULT 0,
        failures bigint NOT NULL DEFAULT 0
      );`,
  },
]
