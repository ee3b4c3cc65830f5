/** Writes one generated bank into a fresh SQLite file as fast as node-sqlite3 allows. */
import { bankRepositories, openBankDatabase } from '@sandbox/store/bank-database'
import { withIndexesDeferred } from '@sandbox/store/bulk-insert'
import type { AccountRecord } from '@sandbox/store/repositories/accounts'
import type { CustomerRecord } from '@sandbox/store/repositories/customers'
import type { PayeeRecord } from '@sandbox/store/repositories/payees'
import type { TestUserRecord } from '@sandbox/store/repositories/test-users'
import type { TransactionRecord } from '@sandbox/store/repositories/transactions'
import type { BankDefinition } from './banks.js'
import { DEFAULT_AS_OF, generateBank } from './generate.js'

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

/** Rows per flush: one multi-row INSERT each, big enough that the per-statement hop is noise. */
const FLUSH_TRANSACTIONS = 4000

/**
 * Generates and inserts one bank into `file`, which must not hold a bank yet. Everything happens in
 * one transaction, so a failure leaves no half bank behind in the file. While SQLite inserts one
 * batch on its worker thread, the main thread generates the next.
 *
 * `synchronous=OFF` is used for the duration: the file is a fresh one in a staging folder that only
 * replaces real data after a clean close, so a crash mid-seed can lose nothing that matters.
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
  const testUsers: SeededTestUser[] = []
  const started = now()
  let generating = 0
  try {
    await store.db.exec({
      purpose: 'tune for bulk load',
      sql: 'PRAGMA synchronous = OFF; PRAGMA cache_size = -65536',
    })
    await store.db.transaction(async (tx) => {
      const repositories = bankRepositories(tx)
      await repositories.bank.insert(generated.bank)
      let customers: CustomerRecord[] = []
      let accounts: AccountRecord[] = []
      let transactions: TransactionRecord[] = []
      let payees: PayeeRecord[] = []
      const users: TestUserRecord[] = []
      let inFlight: Promise<void> = Promise.resolve()
      const flush = async () => {
        const batch = { customers, accounts, transactions, payees }
        customers = []
        accounts = []
        transactions = []
        payees = []
        await inFlight
        inFlight = (async () => {
          await repositories.customers.insertMany(batch.customers)
          await repositories.accounts.insertMany(batch.accounts)
          await repositories.transactions.insertMany(batch.transactions, batch.transactions.length)
          await repositories.payees.insertMany(batch.payees)
        })()
        // Keep a rejection observed even before the next await, so a failure is never unhandled.
        inFlight.catch(() => undefined)
      }
      const iterator = generated.customers[Symbol.iterator]()
      await withIndexesDeferred(tx, 'transactions', async () => {
        for (;;) {
          const before = now()
          const next = iterator.next()
          generating += now() - before
          if (next.done) break
          const data = next.value
          customers.push(data.customer)
          accounts.push(...data.accounts)
          payees.push(...data.payees)
          for (const row of data.transactions) transactions.push(row)
          if (data.testUser) {
            users.push(data.testUser)
            testUsers.push({
              ...data.testUser,
              customerName: `${data.customer.givenName} ${data.customer.familyName}`,
            })
          }
          counts.customers++
          counts.accounts += data.accounts.length
          counts.transactions += data.transactions.length
          counts.payees += data.payees.length
          if (transactions.length >= FLUSH_TRANSACTIONS) {
            await flush()
            options.onProgress?.({
              bankId: definition.id,
              bankName: definition.name,
              customersDone: counts.customers,
              customersTotal: generated.customerCount,
              transactions: counts.transactions,
            })
          }
        }
        await flush()
        await inFlight
      })
      await repositories.testUsers.insertMany(users)
    })
    await store.db.exec({ purpose: 'restore durability', sql: 'PRAGMA synchronous = NORMAL' })
  } finally {
    await store.close()
  }
  options.onProgress?.({
    bankId: definition.id,
    bankName: definition.name,
    customersDone: counts.customers,
    customersTotal: generated.customerCount,
    transactions: counts.transactions,
  })
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
