/** Test tenants from the seed's bank definitions, a temporary data folder and a settable clock. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BANKS, bankOfDefinition } from '@sandbox/seed/banks'
import type { BankTenant } from '@sandbox/service-kit/tenant'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import { openBankDatabase } from '@sandbox/store/bank-database'
import { type BankOp, type BankOpDeps, buildBankOpService } from '../src/app.js'
import type { BankOpConfig } from '../src/config.js'

export const PUBLIC_BASE_URL = 'https://bank-op.sandbox.test:4001'
export const MTLS_BASE_URL = 'https://bank-op.sandbox.test:4002'
export const RESOURCE_BASE_URL = 'https://bank-api.sandbox.test:4003'

/** The seed's bank as the services see it. */
export const toBank = bankOfDefinition

/** The seeded bank whose profile matches, so tests name profiles rather than ids. */
export function seededBank(match: (bank: Bank) => boolean): Bank {
  const bank = BANKS.map(toBank).find(match)
  if (!bank) throw new Error('the seed has no bank with that profile')
  return bank
}

export const dpopBank = () =>
  seededBank((bank) => bank.profile.senderConstraint === 'dpop' && !bank.profile.dpopNonceRequired)
export const mtlsBank = () => seededBank((bank) => bank.profile.senderConstraint === 'mtls')
export const messageSigningBank = () =>
  seededBank((bank) => bank.profile.requireSignedRequestObject && bank.profile.dpopNonceRequired)

/** A clock tests move by hand. */
export function manualClock(start = '2026-01-01T00:00:00Z') {
  let current = new Date(start)
  return {
    now: () => new Date(current),
    advance(seconds: number) {
      current = new Date(current.getTime() + seconds * 1000)
    },
  }
}

export interface TestBankOp extends BankOp {
  dataDir: string
  keysDir: string
  close(): Promise<void>
}

/**
 * Builds bank-op over every seeded bank, each with its own database file in a temporary folder.
 * Pass `dataDir` to reopen a folder (a restart); it is then left for the caller to remove.
 */
export async function buildTestBankOp(
  options: {
    dataDir?: string
    config?: Partial<BankOpConfig>
    deps?: BankOpDeps
    banks?: readonly Bank[]
  } = {},
): Promise<TestBankOp> {
  const ownsDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bank-op-'))
  const banks = options.banks ?? BANKS.map(toBank)
  const tenants: BankTenant[] = []
  for (const bank of banks) {
    const database = await openBankDatabase(join(dataDir, `${bank.id}.sqlite`))
    tenants.push({ bank, db: database.db })
  }
  const keysDir = join(dataDir, 'keys')
  const service = await buildBankOpService(
    {
      tenants,
      publicBaseUrl: PUBLIC_BASE_URL,
      mtlsBaseUrl: MTLS_BASE_URL,
      resourceBaseUrl: RESOURCE_BASE_URL,
      keysDir,
      ...options.config,
    },
    // A clock that stands still unless a test moves it: no assertion races a second boundary.
    { now: manualClock(new Date().toISOString()).now, ...options.deps },
  )
  return {
    ...service,
    dataDir,
    keysDir,
    async close() {
      await Promise.all([service.app.close(), service.mtlsApp?.close()])
      await Promise.all(tenants.map(({ db }) => db.close()))
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
