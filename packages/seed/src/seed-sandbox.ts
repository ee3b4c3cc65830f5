/** Seeds every bank of the sandbox into `<dataDir>/banks`, swapping the folder in only when all succeeded. */
import { link, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { BANKS, type BankDefinition, bankDefinition } from './banks.js'
import { DEFAULT_AS_OF, parseAsOf } from './generate.js'
import { type BankSeedResult, type SeedProgress, seedBank } from './seed-bank.js'

export interface SeedSandboxOptions {
  dataDir: string
  /** Default 42. */
  seed?: number
  /** Default 50; the standard seed never goes lower. */
  customersPerBank?: number
  /** YYYY-MM-DD; default DEFAULT_AS_OF. */
  asOf?: string
  /** Bank ids to (re)seed; default all. Files of other banks already in the folder are kept. */
  banks?: readonly string[]
  onProgress?: (progress: SeedProgress) => void
}

export interface SeedSummary {
  seed: number
  asOf: string
  banks: BankSeedResult[]
  /** Wall time of the whole seed, banks side by side, swap included. */
  seconds: number
  /** Transactions of every bank over `seconds`: the sandbox's insert throughput. */
  transactionsPerSecond: number
}

/** An option of the seed is out of range; the message is one line naming the option. */
export class SeedOptionsError extends Error {
  override readonly name = 'SeedOptionsError'
}

/** Runs a check that throws a plain Error and reports its failure as a SeedOptionsError. */
function asOption<T>(check: () => T): T {
  try {
    return check()
  } catch (error) {
    throw new SeedOptionsError(error instanceof Error ? error.message : String(error))
  }
}

/** Checks options up front so a bad value fails before any file is touched, with a one-line reason. */
export function validateSeedOptions(options: SeedSandboxOptions): {
  seed: number
  customersPerBank: number
  asOf: string
  banks: BankDefinition[]
} {
  if (typeof options.dataDir !== 'string' || options.dataDir.trim() === '') {
    throw new SeedOptionsError('dataDir must be a non-empty path')
  }
  const seed = options.seed ?? 42
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new SeedOptionsError(`seed must be a non-negative integer, got ${seed}`)
  const customersPerBank = options.customersPerBank ?? 50
  if (!Number.isInteger(customersPerBank) || customersPerBank < 1) {
    throw new SeedOptionsError(
      `customersPerBank must be an integer of at least 1, got ${customersPerBank}`,
    )
  }
  const asOf = options.asOf ?? DEFAULT_AS_OF
  asOption(() => parseAsOf(asOf))
  const ids = options.banks ?? BANKS.map((bank) => bank.id)
  if (ids.length === 0) throw new SeedOptionsError('banks must name at least one bank')
  if (new Set(ids).size !== ids.length)
    throw new SeedOptionsError(`banks lists a bank twice: ${ids.join(', ')}`)
  return { seed, customersPerBank, asOf, banks: asOption(() => ids.map(bankDefinition)) }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  )

/**
 * Seeds the sandbox. Each bank is written into a staging folder beside `<dataDir>/banks`; only when
 * every bank has committed and closed is the old folder renamed away and the staging folder renamed
 * into place. An invalid option, a thrown error or Ctrl-C therefore leaves the previous data as it
 * was (at worst a `.banks-staging-*` folder remains, removed by the next seed). Run one seed per
 * data folder at a time, and not while services hold the files open.
 */
export async function seedSandbox(options: SeedSandboxOptions): Promise<SeedSummary> {
  const { seed, customersPerBank, asOf, banks } = validateSeedOptions(options)
  const dataDir = options.dataDir
  const target = join(dataDir, 'banks')
  await mkdir(dataDir, { recursive: true })
  for (const entry of await readdir(dataDir)) {
    if (entry.startsWith('.banks-staging-') || entry.startsWith('.banks-old-')) {
      await rm(join(dataDir, entry), { recursive: true, force: true })
    }
  }
  const started = performance.now()
  const staging = await mkdtemp(join(dataDir, '.banks-staging-'))
  const results: BankSeedResult[] = []
  try {
    // One bank at a time: measured faster than seeding them side by side, which makes the banks'
    // batches and index builds compete for the same two cores and page cache.
    for (const definition of banks) {
      const file = join(staging, `${definition.id}.sqlite`)
      const result = await seedBank(file, definition, {
        seed,
        customers: customersPerBank,
        asOf,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      })
      results.push({ ...result, file: join(target, `${definition.id}.sqlite`) })
    }
    // Banks not re-seeded this time carry over unchanged (hard links: instant, no copy).
    if (await exists(target)) {
      const seeded = new Set(banks.map((bank) => `${bank.id}.sqlite`))
      for (const entry of await readdir(target)) {
        if (entry.endsWith('.sqlite') && !seeded.has(entry))
          await link(join(target, entry), join(staging, entry))
      }
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    throw error
  }
  const old = join(dataDir, `.banks-old-${basename(staging).slice('.banks-staging-'.length)}`)
  const hadTarget = await exists(target)
  if (hadTarget) await rename(target, old)
  try {
    await rename(staging, target)
  } catch (error) {
    if (hadTarget) await rename(old, target)
    await rm(staging, { recursive: true, force: true })
    throw error
  }
  if (hadTarget) await rm(old, { recursive: true, force: true })
  const seconds = (performance.now() - started) / 1000
  const transactions = results.reduce((sum, bank) => sum + bank.transactions, 0)
  return {
    seed,
    asOf,
    banks: results,
    seconds,
    transactionsPerSecond: Math.round(transactions / Math.max(seconds, 1e-9)),
  }
}
