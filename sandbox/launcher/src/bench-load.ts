/**
 * A closed-loop load generator for the benchmarks: a fixed number of operations in flight, each
 * worker starting the next as soon as its last one finishes, until a count or a time limit.
 * The crypto ceiling measures signatures with it; the token endpoint's load generator
 * (client_credentials with private_key_jwt and DPoP, a fresh jti and proof per request) passes
 * its request as `operation` and reports tokens per second with the same p50 and p99.
 */

export interface LoadOptions {
  /** Operations in flight at once (16 for the token endpoint figures). */
  concurrency: number
  /** Stop starting operations after this many... */
  maxOperations: number
  /** ...or once this many milliseconds have passed, whichever comes first. */
  maxMs: number
  /** One operation; `index` is distinct for every call (a jti, a proof, a request number). */
  operation(index: number): Promise<unknown>
  /** Milliseconds from an arbitrary origin; `performance.now` unless a test passes its own. */
  now?: () => number
  /** When given, every latency is also appended here, to take percentiles over several runs. */
  latencies?: number[]
}

export interface LoadResult {
  /** Operations completed. */
  operations: number
  seconds: number
  /** Completed operations per second of wall time. */
  perSecond: number
  /** Latency of one operation from its start to its end, in milliseconds. */
  p50Ms: number
  p99Ms: number
}

/** The value below which a share `p` of the sorted samples lie (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0
}

/**
 * Runs `operation` with `concurrency` in flight until `maxOperations` have started or `maxMs`
 * has passed, then waits for those in flight. The first failure stops every worker and rejects.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const now = options.now ?? (() => performance.now())
  const latencies: number[] = []
  const start = now()
  let started = 0
  let failed = false
  const worker = async () => {
    while (!failed && started < options.maxOperations && now() - start < options.maxMs) {
      const index = started++
      const begin = now()
      try {
        await options.operation(index)
      } catch (error) {
        failed = true
        throw error
      }
      const latency = now() - begin
      latencies.push(latency)
      options.latencies?.push(latency)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker))
  const seconds = (now() - start) / 1000
  latencies.sort((a, b) => a - b)
  return {
    operations: latencies.length,
    seconds,
    perSecond: seconds > 0 ? latencies.length / seconds : 0,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  }
}
