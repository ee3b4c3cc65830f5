/** A bank's SQLite file: opened, migrated to the current schema, with one repository per aggregate. */
import { bankMigrations } from './bank-schema.js'
import { type Database, type Executor, openDatabase } from './database.js'
import { type MigrationReport, migrate } from './migrations.js'
import { createAccountRepository } from './repositories/accounts.js'
import { createBankRepository } from './repositories/banks.js'
import { createClientRepository } from './repositories/clients.js'
import { createCustomerRepository } from './repositories/customers.js'
import { createGrantRepository } from './repositories/grants.js'
import { createPayeeRepository } from './repositories/payees.js'
import { createPaymentRepository, type PaymentLifecycle } from './repositories/payments.js'
import { createRefreshTokenRepository } from './repositories/refresh-tokens.js'
import { createRevokedAccessTokenRepository } from './repositories/revoked-access-tokens.js'
import { createTestUserRepository } from './repositories/test-users.js'
import { createTransactionRepository } from './repositories/transactions.js'

export interface BankRepositories {
  bank: ReturnType<typeof createBankRepository>
  customers: ReturnType<typeof createCustomerRepository>
  accounts: ReturnType<typeof createAccountRepository>
  transactions: ReturnType<typeof createTransactionRepository>
  payees: ReturnType<typeof createPayeeRepository>
  testUsers: ReturnType<typeof createTestUserRepository>
  clients: ReturnType<typeof createClientRepository>
  grants: ReturnType<typeof createGrantRepository>
  refreshTokens: ReturnType<typeof createRefreshTokenRepository>
  revokedAccessTokens: ReturnType<typeof createRevokedAccessTokenRepository>
  payments: ReturnType<typeof createPaymentRepository>
}

export interface BankRepositoryOptions {
  /** The sandbox's payment settlement delays; defaults to DEFAULT_PAYMENT_LIFECYCLE. */
  paymentLifecycle?: Partial<PaymentLifecycle>
}

/** Repositories over any executor: the database itself, or a transaction's handle inside `transaction()`. */
export function bankRepositories(
  db: Executor,
  options: BankRepositoryOptions = {},
): BankRepositories {
  return {
    bank: createBankRepository(db),
    customers: createCustomerRepository(db),
    accounts: createAccountRepository(db),
    transactions: createTransactionRepository(db),
    payees: createPayeeRepository(db),
    testUsers: createTestUserRepository(db),
    clients: createClientRepository(db),
    grants: createGrantRepository(db),
    refreshTokens: createRefreshTokenRepository(db),
    revokedAccessTokens: createRevokedAccessTokenRepository(db),
    payments: createPaymentRepository(db, { lifecycle: options.paymentLifecycle }),
  }
}

export interface BankDatabase extends BankRepositories {
  db: Database
  migrations: MigrationReport
  close(): Promise<void>
}

export interface OpenBankDatabaseOptions extends BankRepositoryOptions {
  /** Open without writing; the schema must already be current (no migrations run). */
  readonly?: boolean
  /** Stamps applied migrations; the seed passes its as-of date so files are reproducible. */
  now?: () => Date
  /** Read-only connections for concurrent reads (see OpenDatabaseOptions); default none. */
  readConnections?: number
}

/** Opens (creating if needed) a bank's file and migrates it to the current bank schema. */
export async function openBankDatabase(
  file: string,
  options: OpenBankDatabaseOptions = {},
): Promise<BankDatabase> {
  const db = await openDatabase(file, {
    readonly: options.readonly === true,
    readConnections: options.readConnections,
  })
  try {
    const migrations = options.readonly
      ? { applied: [], version: await currentVersion(db) }
      : await migrate(db, bankMigrations, options.now === undefined ? {} : { now: options.now })
    return { db, migrations, ...bankRepositories(db, options), close: () => db.close() }
  } catch (error) {
    await db.close().catch(() => undefined)
    throw error
  }
}

async function currentVersion(db: Database): Promise<number> {
  const row = await db.get<{ version: number | null }>({
    purpose: 'read schema version',
    sql: 'SELECT max(version) AS version FROM schema_migrations',
  })
  return row?.version ?? 0
}
