/** Benchmarks for the root bench harness: seeding speed at scale and the keyset page query. */
import { join } from 'node:path'
import { openBankDatabase } from '@sandbox/store/bank-database'
import { buildTransactionPageQuery } from '@sandbox/store/repositories/transactions'
import { createRandom } from './random.js'
import { seedSandbox } from './seed-sandbox.js'

export interface BenchContext {
  tmpDir: string
  log: (line: string) => void
}

export interface BenchResult {
  name: string
  value: number
  unit: string
  detail?: string
}

export interface Benchmark {
  name: string
  run(ctx: BenchContext): Promise<BenchResult[]>
}

/**
 * 5,000 customers per bank is about 2.2 million transactions per bank and 6.5 million in all:
 * "millions of rows" for the page query, and about a minute of seeding on two cores.
 */
const SCALE_CUSTOMERS = 5000
const QUERY_SAMPLES = 300

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0

function scaleDataDir(ctx: BenchContext) {
  return join(ctx.tmpDir, 'scale')
}

function scaleFile(ctx: BenchContext) {
  return join(scaleDataDir(ctx), 'banks', 'aurora.sqlite')
}

/** `npm run seed -- --customers 5000`, as a user runs it: every bank, side by side. */
async function seedScaleSandbox(ctx: BenchContext): Promise<BenchResult[]> {
  const logged = new Map<string, number>()
  const summary = await seedSandbox({
    dataDir: scaleDataDir(ctx),
    seed: 42,
    customersPerBank: SCALE_CUSTOMERS,
    onProgress: (progress) => {
      const last = logged.get(progress.bankId) ?? 0
      if (
        progress.customersDone - last >= 1000 ||
        progress.customersDone === progress.customersTotal
      ) {
        logged.set(progress.bankId, progress.customersDone)
        ctx.log(
          `seed ${progress.bankId}: ${progress.customersDone}/${progress.customersTotal} customers, ${progress.transactions} transactions`,
        )
      }
    },
  })
  const transactions = summary.banks.reduce((sum, bank) => sum + bank.transactions, 0)
  const generateSeconds = summary.banks.reduce((sum, bank) => sum + bank.generateSeconds, 0)
  const perBank = summary.banks
    .map((bank) => `${bank.id} ${bank.transactions} tx in ${bank.insertSeconds.toFixed(1)} s`)
    .join(', ')
  const detail = `${summary.banks.length} banks x ${SCALE_CUSTOMERS} customers, ${transactions} transactions in ${summary.seconds.toFixed(2)} s (${perBank}); indexes built and files closed within the time`
  return [
    {
      name: 'seed: transactions inserted per second, every bank',
      value: summary.transactionsPerSecond,
      unit: 'tx/s',
      detail,
    },
    {
      name: 'seed: transactions generated and rendered as SQL per second (this thread alone)',
      value: Math.round(transactions / Math.max(generateSeconds, 1e-9)),
      unit: 'tx/s',
    },
    { name: 'seed: wall time', value: Number(summary.seconds.toFixed(2)), unit: 's' },
    { name: 'seed: transactions', value: transactions, unit: 'rows' },
  ]
}

async function keysetPageQuery(ctx: BenchContext): Promise<BenchResult[]> {
  const store = await openBankDatabase(scaleFile(ctx), { readonly: true })
  try {
    const ids = await store.accounts.listIds()
    const random = createRandom(7)
    const timings: number[] = []
    let plan = ''
    for (let sample = 0; sample < QUERY_SAMPLES; sample++) {
      const accountId = random.pick(ids)
      const first = await store.transactions.listForAccount(accountId, { limit: 100 })
      const after = first.nextCursor
      const options = after === undefined ? { limit: 100 } : { limit: 100, after }
      if (plan === '' && after !== undefined) {
        const { sql, params } = buildTransactionPageQuery(accountId, options)
        const rows = await store.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)
        plan = rows.map((row) => row.detail).join('; ')
      }
      const started = performance.now()
      await store.transactions.listForAccount(accountId, options)
      timings.push(performance.now() - started)
    }
    timings.sort((a, b) => a - b)
    const total = await store.transactions.count()
    const detail = `${QUERY_SAMPLES} random accounts of ${ids.length}, ${total} transactions; plan: ${plan}`
    return [
      {
        name: 'keyset page (newest 100 after a cursor): median',
        value: Number(percentile(timings, 0.5).toFixed(3)),
        unit: 'ms',
        detail,
      },
      {
        name: 'keyset page (newest 100 after a cursor): p95',
        value: Number(percentile(timings, 0.95).toFixed(3)),
        unit: 'ms',
        detail,
      },
    ]
  } finally {
    await store.close()
  }
}

/** Run in order: the query benchmark reads the file the seed benchmark wrote (it seeds if missing). */
export const benchmarks: Benchmark[] = [
  { name: 'seed the sandbox at scale', run: seedScaleSandbox },
  {
    name: 'keyset transaction page',
    async run(ctx) {
      const { stat } = await import('node:fs/promises')
      const present = await stat(scaleFile(ctx)).then(
        () => true,
        () => false,
      )
      if (!present) await seedScaleSandbox(ctx)
      return keysetPageQuery(ctx)
    },
  },
]
