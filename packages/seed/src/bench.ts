/** Benchmarks for the root bench harness: seeding speed at scale and the keyset page query. */
import { join } from 'node:path'
import { openBankDatabase } from '@sandbox/store/bank-database'
import { buildTransactionPageQuery } from '@sandbox/store/repositories/transactions'
import { bankDefinition } from './banks.js'
import { createRandom } from './random.js'
import { seedBank } from './seed-bank.js'

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

/** 2,000 customers is about 860,000 transactions: large enough to show index behaviour, quick to seed. */
const SCALE_CUSTOMERS = 2000
const QUERY_SAMPLES = 300

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0

function scaleFile(ctx: BenchContext) {
  return join(ctx.tmpDir, 'scale-aurora.sqlite')
}

async function seedScaleBank(ctx: BenchContext): Promise<BenchResult[]> {
  let lastLogged = 0
  const result = await seedBank(scaleFile(ctx), bankDefinition('aurora'), {
    seed: 42,
    customers: SCALE_CUSTOMERS,
    onProgress: (progress) => {
      if (
        progress.customersDone - lastLogged >= 500 ||
        progress.customersDone === progress.customersTotal
      ) {
        lastLogged = progress.customersDone
        ctx.log(
          `seed: ${progress.customersDone}/${progress.customersTotal} customers, ${progress.transactions} transactions`,
        )
      }
    },
  })
  const detail = `${result.customers} customers, ${result.accounts} accounts, ${result.transactions} transactions in ${result.insertSeconds.toFixed(2)} s`
  return [
    {
      name: 'seed: transactions inserted per second (generation overlapped)',
      value: result.transactionsPerSecond,
      unit: 'tx/s',
      detail,
    },
    {
      name: 'seed: transactions generated per second (generator alone)',
      value: result.transactionsGeneratedPerSecond,
      unit: 'tx/s',
      detail,
    },
    {
      name: 'seed: wall time for the scale bank',
      value: Number(result.insertSeconds.toFixed(3)),
      unit: 's',
      detail,
    },
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
  { name: 'seed a scale bank', run: seedScaleBank },
  {
    name: 'keyset transaction page',
    async run(ctx) {
      const { stat } = await import('node:fs/promises')
      const present = await stat(scaleFile(ctx)).then(
        () => true,
        () => false,
      )
      if (!present) await seedScaleBank(ctx)
      return keysetPageQuery(ctx)
    },
  },
]
