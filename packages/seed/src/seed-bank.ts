/** Writes one generated bank into a fresh SQLite file as fast as node-sqlite3 allows. */

import { bankRepositories, openBankDatabase } from '@sandbox/store/bank-database'
import { withIndexesDeferred } from '@sandbox/store/bulk-insert'
import type { BankDefinition } from './banks.js'
import { DEFAULT_AS_OF, generateBank } from './generate.js'
import { type SeededTestUserRecord, seedBatches } from './seed-batches.js'

export interface SeedProgress {
  bankId: string
  bankName: string
  customersDone: number
  customersTotal: number
  transactions: number
}

export interface SeedBankOptions {
  seed: number
  customers: number
  asOf?: string
  onProgress?: (progress: SeedProgress) => void
  /** Wall-clock reader for the timing figures only; injected so tests and benches can fake it. */
  now?: () => number
}

export interface SeededTestUser {
  username: string
  password: string
  oneTimeCode: string
  customerName: string
}

export interface BankSeedResult {
  id: string
  name: string
  file: string
  customers: number
  accounts: number
  transactions: number
  payees: number
  testUsers: SeededTestUser[]
  /** Wall time from first row generated to commit, generation included (they overlap). */
  insertSeconds: number
  transactionsPerSecond: number
  /** Time spent inside the generator alone. */
  generateSeconds: number
  transactionsGeneratedPerSecond: number
}

/**
 * Generates and inserts one bank into `file`, which must not hold a bank yet. Everything happens in
 * one transaction, so a failure leaves no half bank behind in the file. While SQLite writes one
 * batch on its own thread, this thread generates and renders the next. (A worker thread for the
 * generator measured slower on two cores: copying each script to the main thread costs more than
 * the overlap gains.)
 *
 * `journal_mode=OFF` and `synchronous=OFF` are used for the duration: the file is a fresh one in a
 * staging folder that only replaces real data after a clean close, so a crash mid-seed can lose
 * nothing that matters, and the rows are not written twice (journal, then database).
 */
export async function seedBank(
  file: string,
  definition: BankDefinition,
  options: SeedBankOptions,
): Promise<BankSeedResult> {
  const now = options.now ?? (() => performance.now())
  const asOf = options.asOf ?? DEFAULT_AS_OF
  const generated = generateBank(options.seed, definition, { customers: options.customers, asOf })
  const store = await openBankDatabase(file, { now: () => new Date(`${asOf}T00:00:00Z`) })
  const counts = { customers: 0, accounts: 0, transactions: 0, payees: 0 }
  const testUsers: SeededTestUserRecord[] = []
  let generating = 0
  const started = now()
  const report = () =>
    options.onProgress?.({
      bankId: definition.id,
      bankName: definition.name,
      customersDone: counts.customers,
      customersTotal: generated.customerCount,
      transactions: counts.transactions,
    })
  try {
    await store.db.exec({
      purpose: 'tune for bulk load',
      sql: 'PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY',
    })
    await store.db.transaction(async (tx) => {
      const repositories = bankRepositories(tx)
      await repositories.bank.insert(generated.bank)
      await withIndexesDeferred(tx, 'transactions', async () => {
        const batches = seedBatches(generated)
        let written: Promise<void> = Promise.resolve()
        for (;;) {
          // Generating and rendering the next batch happens before waiting for the previous one,
          // so this thread's work overlaps SQLite's.
          const before = now()
          const next = batches.next()
          generating += now() - before
          await written
          if (next.done) break
          const batch = next.value
          written = tx
            .exec({ purpose: `insert ${batch.transactions} transactions`, sql: batch.sql })
            .then(() => {
              counts.customers += batch.customers
              counts.accounts += batch.accounts
              counts.transactions += batch.transactions
              counts.payees += batch.payees
              testUsers.push(...batch.testUsers)
              report()
            })
          // Observed at once, so a failure is never reported as unhandled; awaited above.
          written.catch(() => undefined)
        }
      })
      await repositories.testUsers.insertMany(testUsers)
    })
    await store.db.exec({
      purpose: 'restore durability',
      sql: 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL',
    })
  } finally {
    await store.close()
  }
  report()
  const insertSeconds = (now() - started) / 1000
  const generateSeconds = generating / 1000
  return {
    id: definition.id,
    name: definition.name,
    file,
    ...counts,
    testUsers: testUsers.map(({ username, password, oneTimeCode, customerName }) => ({
      username,
      password,
      oneTimeCode,
      customerName,
    })),
    insertSeconds,
    transactionsPerSecond: Math.round(counts.transactions / Math.max(insertSeconds, 1e-9)),
    generateSeconds,
    transactionsGeneratedPerSecond: Math.round(
      counts.transactions / Math.max(generateSeconds, 1e-9),
    ),
  }
}
