/** The help-center plugin's schema, in order. Each area's file owns its tables. */
import type { Migration } from '../../core/mod.ts'
import { stringSetMigration } from './strings/migrations.ts'
import { themeMigration } from './themes/migrations.ts'

export const helpCenterMigrations: Migration[] = []
helpCenterMigrations.push(stringSetMigration, themeMigration)
