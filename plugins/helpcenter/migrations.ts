/** The help-center plugin's schema, in order. Each area's file owns its tables. */
import type { Migration } from '../../core/mod.ts'
import { visitorsMigration } from './visitors/migrations.ts'
import { filesMigration } from './files/migrations.ts'
import { menusMigration } from './menus/migrations.ts'
import { contentMigrations } from './content/migrations.ts'
import { stringSetMigration } from './strings/migrations.ts'
import { themeMigration } from './themes/migrations.ts'
import { pageVersionsMigration } from './pages/versions-migration.ts'

export const helpCenterMigrations: Migration[] = [
  visitorsMigration,
  filesMigration,
  menusMigration,
  ...contentMigrations,
  stringSetMigration,
  themeMigration,
  pageVersionsMigration,
]
