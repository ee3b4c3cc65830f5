/** `npm run bench`: every suite the project has, run in turn; figures are printed and written out. */
import { join } from 'node:path'
import { benchmarks as seedBenchmarks } from '@sandbox/seed/bench'
import { bankApiBenchmark } from './bench-bank-api.js'
import { cryptoCeilingBenchmark } from './bench-crypto-ceiling.js'
import {
  type BenchContext,
  type Benchmark,
  type BenchResults,
  renderTable,
  runSuites,
} from './bench-harness.js'
import { tokenEndpointBenchmark } from './bench-token-endpoint.js'
import { launchSandbox } from './launch.js'
import { portsFor } from './services.js'
import { getOverTls } from './wait-for-health.js'

/** Cold start (certificates + seed + listen + health) and a warm start on the same folder. */
const launcherBenchmark: Benchmark = {
  name: 'launcher',
  async run({ tmpDir, log }) {
    const dataDir = join(tmpDir, 'launcher')
    const options = {
      dataDir,
      host: '127.0.0.1',
      ports: portsFor(0),
      seed: 42,
      customersPerBank: 50,
      reset: false,
    }
    let start = performance.now()
    const cold = await launchSandbox(options)
    const coldMs = performance.now() - start
    await cold.close()
    start = performance.now()
    const warm = await launchSandbox(options)
    const warmMs = performance.now() - start
    try {
      const health = warm.services[0]
      if (!health) throw new Error('no service started')
      const samples: number[] = []
      for (let i = 0; i < 200; i++) {
        const t = performance.now()
        await getOverTls(`${health.url}/health`, warm.pki.ca.certPem)
        samples.push(performance.now() - t)
      }
      samples.sort((a, b) => a - b)
      log(`launcher: cold ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms`)
      return [
        {
          name: 'cold start (PKI + seed 3 x 50 customers + listen)',
          value: round(coldMs),
          unit: 'ms',
        },
        { name: 'warm start (reuse data folder)', value: round(warmMs), unit: 'ms' },
        {
          name: 'GET /health over new TLS connection, median',
          value: round(samples[samples.length >> 1] ?? 0),
          unit: 'ms',
          detail: `200 sequential requests, each a fresh TLS handshake; p95 ${round(samples[Math.floor(samples.length * 0.95)] ?? 0)} ms`,
        },
      ]
    } finally {
      await warm.close()
    }
  },
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

// The CPU-bound suites run first, in a fresh process: the seed suites leave millions of rows'
// worth of garbage and page cache behind, which would weigh on the figures measured after them.
export const SUITES: readonly Benchmark[] = [
  cryptoCeilingBenchmark(),
  tokenEndpointBenchmark(),
  bankApiBenchmark(),
  launcherBenchmark,
  ...seedBenchmarks,
]

/**
 * Runs the suites whose names contain one of `only` (case-insensitive), or all of them.
 * `npm run bench -- "bank APIs"` runs one.
 */
export async function runBenchmarks(
  context: BenchContext,
  only: readonly string[] = [],
): Promise<{ results: BenchResults; table: string }> {
  const wanted = only.map((name) => name.toLowerCase())
  const suites =
    wanted.length === 0
      ? SUITES
      : SUITES.filter((suite) => wanted.some((name) => suite.name.toLowerCase().includes(name)))
  if (suites.length === 0) throw new Error(`no suite matches ${only.join(', ')}`)
  const results = await runSuites(suites, context)
  return { results, table: renderTable(results) }
}
