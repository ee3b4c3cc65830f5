/** The launcher's command-line options: parsed strictly, validated once, explained in one line. */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_MAX_FLOWS } from '@sandbox/console/trace-store'

/** A mistake in how the launcher was called; the CLI prints its message as one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export interface StartOptions {
  dataDir: string
  host: string
  basePort: number
  seed: number
  customersPerBank: number
  asOf: string | undefined
  reset: boolean
  /** How many flows the console keeps (the oldest go first). */
  consoleFlows: number
  help: boolean
}

export const DEFAULT_BASE_PORT = 8440
export const DEFAULT_SEED = 42
export const DEFAULT_CUSTOMERS_PER_BANK = 50
const SEED_USAGE = `  --seed <n>            seed number for the fake data (default: ${DEFAULT_SEED})
  --customers <n>       customers per bank when seeding (default: ${DEFAULT_CUSTOMERS_PER_BANK})
  --as-of <YYYY-MM-DD>  last day of the seeded 12 months (default: fixed by the seed)`

/** Services listen on `basePort + offset`; the highest offset bounds the usable base port. */
export const MAX_PORT_OFFSET = 9

export const USAGE = `Usage: npm start -- [options]

  --data-dir <path>     where databases and certificates live (default: .data)
  --host <name>         interface to listen on (default: localhost)
  --base-port <n>       services listen on n+1, n+2, ... (default: ${DEFAULT_BASE_PORT})
${SEED_USAGE}
  --reset               reseed, replacing the data folder's banks
  --console-flows <n>   flows the console keeps, the oldest go first (default: ${DEFAULT_MAX_FLOWS})
  --help                show this help`

export const SEED_USAGE_FULL = `Usage: npm run seed -- [options]

Writes fresh banks into <data-dir>/banks, replacing the old ones only once all are written.

  --data-dir <path>     where databases live (default: .data)
${SEED_USAGE}
  --help                show this help`

function integer(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (raw === undefined) return fallback
  if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got '${raw}'`)
  const value = Number(raw)
  if (value < min || value > max) {
    throw new UsageError(`--${name} must be between ${min} and ${max}, got ${value}`)
  }
  return value
}

function isoDate(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(`${raw}T00:00:00Z`))
  if (!valid || new Date(`${raw}T00:00:00Z`).toISOString().slice(0, 10) !== raw) {
    throw new UsageError(`--as-of must be a calendar date as YYYY-MM-DD, got '${raw}'`)
  }
  return raw
}

/**
 * Parses `argv` (without the node and script paths). Unknown flags, missing values and numbers out
 * of range throw a UsageError; nothing is touched on disk.
 */
export function parseStartOptions(
  argv: readonly string[],
  cwd: string = process.cwd(),
  command: 'start' | 'seed' = 'start',
): StartOptions {
  let values: ReturnType<typeof parse>['values']
  try {
    values = parse(argv, command).values
  } catch (error) {
    // node:util explains unknown options well; keep its first sentence and point at --help.
    const message = error instanceof Error ? error.message : String(error)
    const firstSentence = message.split(/(?<=\.)\s/)[0] ?? message
    throw new UsageError(`${firstSentence.replace(/\.$/, '')} (see --help)`)
  }
  const host = values.host ?? 'localhost'
  if (host.trim() === '') throw new UsageError('--host must not be empty')
  const dataDir = values['data-dir'] ?? '.data'
  if (dataDir.trim() === '') throw new UsageError('--data-dir must not be empty')
  return {
    dataDir: resolve(cwd, dataDir),
    host,
    basePort: integer(
      'base-port',
      values['base-port'],
      DEFAULT_BASE_PORT,
      1024,
      65535 - MAX_PORT_OFFSET,
    ),
    seed: integer('seed', values.seed, DEFAULT_SEED, 0, 2 ** 31 - 1),
    customersPerBank: integer(
      'customers',
      values.customers,
      DEFAULT_CUSTOMERS_PER_BANK,
      1,
      10_000_000,
    ),
    asOf: isoDate(values['as-of']),
    reset: values.reset ?? false,
    consoleFlows: integer(
      'console-flows',
      values['console-flows'],
      DEFAULT_MAX_FLOWS,
      10,
      1_000_000,
    ),
    help: values.help ?? false,
  }
}

const SEED_FLAGS = {
  'data-dir': { type: 'string' },
  seed: { type: 'string' },
  customers: { type: 'string' },
  'as-of': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

const START_FLAGS = {
  ...SEED_FLAGS,
  host: { type: 'string' },
  'base-port': { type: 'string' },
  reset: { type: 'boolean' },
  'console-flows': { type: 'string' },
} as const

/** `npm run seed` accepts only the seed's flags, so `--base-port` there is an error, not ignored. */
function parse(argv: readonly string[], command: 'start' | 'seed') {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: command === 'start' ? START_FLAGS : (SEED_FLAGS as typeof START_FLAGS),
  })
}
