import type { Migration } from '../storage/migrations.ts'

/** Deliveries, dead letters, scheduler leases and web hooks (C7, C11, I5). Ids continue the core's sequence. */
export const eventMigrations: Migration[] = []
