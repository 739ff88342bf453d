/** The help-center plugin's schema, in order. Each area's file owns its tables. */
import type { Migration } from '../../core/mod.ts'
import { contentMigrations } from './content/migrations.ts'

export const helpCenterMigrations: Migration[] = [
  ...contentMigrations,
]
