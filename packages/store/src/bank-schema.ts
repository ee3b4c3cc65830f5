/** The ordered list of migrations that make up a bank's schema. */

import { initialSchema } from './migrations/0001-initial-schema.js'
import { oauthSchema } from './migrations/0002-oauth.js'
import { paymentsSchema } from './migrations/0003-payments.js'
import type { Migration } from './migrations.js'

// Later issues append here; never edit or renumber a shipped migration.
export const bankMigrations: readonly Migration[] = [initialSchema, oauthSchema, paymentsSchema]
