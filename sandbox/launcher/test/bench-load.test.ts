import { describe, expect, test } from 'vitest'
import { cryptoCeilingBenchmark, tokenRequestCeiling } from '../src/bench-crypto-ceiling.js'
import { percentile, runLoad } from '../src/bench-load.js'

/** A clock that moves only when an operation says so, so the figures are exact. */
function steppedClock() {
  let ms = 0
  return { now: () => ms, advance: (by: number) => (ms += by) }
}

describe('runLoad', () => {
  test('keeps `concurrency` in flight and stops after maxOperations, each index once', async () => {
    let inFlight = 0
    let peak = 0
    const seen: number[] = []
    const result = await runLoad({
      concurrency: 4,
      maxOperations: 10,
      maxMs: 60_000,
      operation: async (index) => {
        seen.push(index)
        peak = Math.max(peak, ++inFlight)
        await new Promise((resolve) => setTimeout(resolve, 1))
        inFlight--
      },
    })
    expect(result.operations).toBe(10)
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(peak).toBe(4)
  })

  test('stops by itself once maxMs has passed, and measures with the given clock', async () => {
    const clock = steppedClock()
    const result = await runLoad({
      concurrency: 1,
      maxOperations: 1_000_000,
      maxMs: 1000,
      now: clock.now,
      operation: async () => {
        clock.advance(100)
      },
    })
    expect(result).toEqual({ operations: 10, seconds: 1, perSecond: 10, p50Ms: 100, p99Ms: 100 })
  })

  test('the first failure stops every worker and rejects', async () => {
    let calls = 0
    const run = runLoad({
      concurrency: 3,
      maxOperations: 1000,
      maxMs: 60_000,
      operation: async (index) => {
        calls++
        await new Promise((resolve) => setTimeout(resolve, 1))
        if (index === 5) throw new Error('request 5 failed')
      },
    })
    await expect(run).rejects.toThrow('request 5 failed')
    expect(calls).toBeLessThan(20)
  })

  test('percentiles by nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(sorted, 0.5)).toBe(50)
    expect(percentile(sorted, 0.99)).toBe(99)
    expect(percentile([7], 0.99)).toBe(7)
    expect(percentile([], 0.5)).toBe(0)
  })
})

describe('the crypto ceiling', () => {
  test('two verifications and one signature per request', () => {
    expect(tokenRequestCeiling(3000, 1500)).toBe(1 / (2 / 3000 + 1 / 1500))
    expect(tokenRequestCeiling(3000, 1500)).toBe(750)
    expect(tokenRequestCeiling(0, 1500)).toBe(0)
  })

  test('the suite reports verify/s, sign/s and the ceiling they imply', async () => {
    const suite = cryptoCeilingBenchmark({ concurrency: 4, maxOperations: 40, maxMs: 5000 })
    const figures = await suite.run({ tmpDir: '', log: () => undefined })
    const [verify, sign, ceiling] = figures
    expect(figures.map(({ name }) => name)).toEqual([
      'ES256 JWT verify',
      'ES256 JWT sign',
      'token request ceiling, 1 / (2 / verify + 1 / sign)',
    ])
    expect(verify?.detail).toContain('40 operations')
    expect(sign?.detail).toContain('40 operations')
    // Rounded figures: the ceiling is the formula of the two rates within rounding.
    const expected = tokenRequestCeiling(verify?.value ?? 0, sign?.value ?? 0)
    expect(Math.abs((ceiling?.value ?? 0) - expected)).toBeLessThanOrEqual(1)
  })
})
