/** Numbered schema migrations, applied in order at open and recorded in `schema_migrations`. */
import { createHash } from 'node:crypto'
import type { Database, Executor } from './database.js'

export interface Migration {
  /** 1, 2, 3…: the order of application and the key recorded once applied. */
  readonly version: number
  /** A short description, e.g. 'initial schema'; recorded so a renumbered migration is caught. */
  readonly name: string
  readonly up: string | ((tx: Executor) => Promise<void>)
}

export interface MigrateOptions {
  /** The clock that stamps `applied_at`; injected so seeded files stay byte-for-byte reproducible. */
  now?: () => Date
}

export interface MigrationReport {
  /** Versions applied by this call, in order; empty when the schema was already current. */
  applied: number[]
  /** The schema version after this call. */
  version: number
}

/** Thrown when the migration list is malformed or the file disagrees with it. */
export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MigrationError'
  }
}

/**
 * What a migration does, as a digest: recorded when it is applied, so a migration edited after it
 * shipped is caught at the next open instead of leaving files with two different schemas.
 */
export function migrationChecksum(migration: Migration): string {
  const body = typeof migration.up === 'string' ? migration.up : migration.up.toString()
  return createHash('sha256').update(body).digest('hex')
}

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationError(
        `migration '${migration.name}' has version ${migration.version}, expected ${index + 1}: versions must be 1, 2, 3… without gaps`,
      )
    }
  })
}

/**
 * Brings the schema up to the last migration. Each migration runs in its own transaction together
 * with its `schema_migrations` row, so a failure leaves the file at the previous version with none
 * of the failed migration's statements applied. Running it again on a current file changes nothing.
 * @throws MigrationError when the file holds a version this code does not know, a different name
 *   for a known version (two branches numbered their migrations the same way), or a known version
 *   whose statements have changed since they were applied.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  checkMigrationList(migrations)
  const now = options.now ?? (() => new Date())
  await db.exec({
    purpose: 'create schema_migrations',
    sql: `CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      checksum TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT`,
  })
  const recorded = await db.all<{ version: number; name: string; checksum: string }>({
    purpose: 'read applied migrations',
    sql: 'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
  })
  for (const row of recorded) {
    const known = migrations[row.version - 1]
    if (known === undefined) {
      throw new MigrationError(
        `${db.file} is at schema version ${row.version} ('${row.name}'), newer than this code knows (${migrations.length}); upgrade the code or reseed`,
      )
    }
    if (known.name !== row.name) {
      throw new MigrationError(
        `${db.file} recorded migration ${row.version} as '${row.name}' but this code calls it '${known.name}'`,
      )
    }
    if (migrationChecksum(known) !== row.checksum) {
      throw new MigrationError(
        `${db.file} applied migration ${row.version} ('${row.name}') in a form this code no longer has; reseed (npm start -- --reset)`,
      )
    }
  }
  const applied: number[] = []
  for (const migration of migrations.slice(recorded.length)) {
    try {
      await db.transaction(async (tx) => {
        if (typeof migration.up === 'string') await tx.exec(migration.up)
        else await migration.up(tx)
        await tx.run(
          { purpose: 'record migration', sql: 'INSERT INTO schema_migrations VALUES (?, ?, ?, ?)' },
          [migration.version, migration.name, migrationChecksum(migration), now().toISOString()],
        )
      })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new MigrationError(
        `migration ${String(migration.version).padStart(4, '0')} '${migration.name}' failed and was rolled back: ${reason}`,
        { cause: error },
      )
    }
    applied.push(migration.version)
  }
  return { applied, version: migrations.length }
}
