import type { Migration } from '../storage/migrations.ts'

/** Members, sessions, agents, groups, service keys and IP allowlists (C3–C6). Ids continue the core's sequence. */
export const identityMigrations: Migration[] = []
