/** The ordered list of migrations that make up a bank's schema. */

import { initialSchema } from './migrations/0001-initial-schema.js'
import { oauthSchema } from './migrations/0002-oauth.js'
import type { Migration } from './migrations.js'

// Later issues append here (grants, clients, payments); never edit or renumber a shipped migration.
export const bankMigrations: readonly Migration[] = [initialSchema, oauthSchema]
