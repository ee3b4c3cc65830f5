/** The data folder's banks: seeded when missing (or on --reset), opened one database per bank. */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { BANKS } from '@sandbox/seed/banks'
import type { SeedProgress } from '@sandbox/seed/seed-bank'
import { seedSandbox } from '@sandbox/seed/seed-sandbox'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import { openBankDatabase } from '@sandbox/store/bank-database'
import type { Database } from '@sandbox/store/database'
import { toBank } from '@sandbox/store/repositories/banks'
import type { TestUserListing } from '@sandbox/store/repositories/test-users'
import { LaunchError } from './errors.js'

export interface OpenBank {
  bank: Bank
  db: Database
  file: string
  seed: number
  asOf: string
  testUsers: readonly TestUserListing[]
  counts: { customers: number }
}

export function banksDir(dataDir: string): string {
  return join(dataDir, 'banks')
}

/** The banks' signing keys and the demo fintech's client key: private, never committed. */
export function keysDir(dataDir: string): string {
  return join(dataDir, 'keys')
}

function bankFiles(dataDir: string): string[] {
  const dir = banksDir(dataDir)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sqlite'))
    .sort()
    .map((name) => join(dir, name))
}

interface SeedRequest {
  dataDir: string
  seed: number
  customersPerBank: number
  asOf?: string | undefined
  reset: boolean
  onSeedProgress?: ((progress: SeedProgress) => void) | undefined
}

/** Seeds on first start or on --reset; the seed swaps files in only once all banks are written. */
export async function seedIfNeeded(
  request: SeedRequest,
  log: (line: string) => void,
): Promise<boolean> {
  if (!request.reset && bankFiles(request.dataDir).length > 0) return false
  log(
    request.reset
      ? 'reseeding the banks (--reset)'
      : `seeding the banks into ${banksDir(request.dataDir)}`,
  )
  const summary = await seedSandbox({
    dataDir: request.dataDir,
    seed: request.seed,
    customersPerBank: request.customersPerBank,
    ...(request.asOf === undefined ? {} : { asOf: request.asOf }),
    ...(request.onSeedProgress === undefined ? {} : { onProgress: request.onSeedProgress }),
  })
  for (const bank of summary.banks) {
    log(
      `seeded ${bank.id}: ${bank.customers} customers, ${bank.accounts} accounts, ${bank.transactions} transactions`,
    )
  }
  const perSecond = summary.transactionsPerSecond.toLocaleString('en-GB')
  log(`seeded in ${summary.seconds.toFixed(1)} s (${perSecond} transactions per second)`)
  return true
}

/**
 * Read connections per bank beside its writer: the APIs and the authorization server read
 * concurrently (SQLite WAL) instead of queueing every request's reads behind one connection.
 */
export const BANK_READ_CONNECTIONS = 2

/** Opens every bank file in the data folder; a file that is not a seeded bank stops the start. */
export async function openSeededBanks(dataDir: string): Promise<OpenBank[]> {
  const opened: OpenBank[] = []
  try {
    for (const file of bankFiles(dataDir)) {
      const database = await openBankDatabase(file, { readConnections: BANK_READ_CONNECTIONS })
      const record = await database.bank.get()
      if (!record) {
        await database.close()
        throw new LaunchError(`${file} holds no bank; reseed with --reset`)
      }
      opened.push({
        bank: toBank(record),
        db: database.db,
        file,
        seed: record.seed,
        asOf: record.asOf,
        testUsers: await database.testUsers.list(),
        counts: { customers: await database.customers.count() },
      })
    }
  } catch (error) {
    await Promise.allSettled(opened.map(({ db }) => db.close()))
    throw error
  }
  if (opened.length === 0)
    throw new LaunchError(`no banks in ${banksDir(dataDir)}; reseed with --reset`)
  // The seed's own order (the DPoP bank first, then mTLS, then the teaching bank), unknown ids last.
  const rank = (id: string) => {
    const index = BANKS.findIndex((definition) => definition.id === id)
    return index === -1 ? BANKS.length : index
  }
  return opened.sort(
    (a, b) => rank(a.bank.id) - rank(b.bank.id) || a.bank.id.localeCompare(b.bank.id),
  )
}
