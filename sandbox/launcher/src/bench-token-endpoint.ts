/**
 * The token endpoint under load: client_credentials with private_key_jwt (RFC 7523) and DPoP
 * (RFC 9449), ES256, a fresh assertion (new jti) and a fresh proof for every request, 16 in
 * flight over keep-alive TLS connections, against the sandbox running in a process of its own on
 * this machine. Beside it, measured in the same run between the load rounds, the crypto ceiling
 * those requests cannot pass (bench-crypto-ceiling), and the share of it the endpoint reaches.
 */
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportJWK, generateKeyPair } from 'jose'
import { type CryptoCeiling, measureCryptoCeiling } from './bench-crypto-ceiling.js'
import type { BenchFigure, Benchmark } from './bench-harness.js'
import { percentile, runLoad } from './bench-load.js'
import { createTokenClient } from './bench-token-client.js'
import type { TokenServerMessage, TokenServerRequest } from './bench-token-server.js'

export interface TokenLoadOptions {
  /** Requests in flight, one keep-alive connection each (16). */
  concurrency?: number
  /** Load rounds; the ceiling is measured before the first, between each two and after the last. */
  rounds?: number
  /** Milliseconds of load per round. */
  roundMs?: number
  /** Milliseconds per ceiling measurement, for verify and again for sign. */
  ceilingMs?: number
  /** Requests sent, and checked, before the first round: connections, JIT and caches warm up. */
  warmupOperations?: number
  /** A folder for a V8 CPU profile of the sandbox process (`node --cpu-prof`), when wanted. */
  serverCpuProfileDir?: string | undefined
}

const BENCH_CLIENT_ID = 'bench-client-credentials'

/** The share of the ceiling the issue asks the endpoint to reach. */
export const TARGET_SHARE_OF_CEILING = 0.4

/** The sandbox in its own process (bench-token-server), as the benchmark talks to it. */
interface TokenServer {
  bankOpUrl: string
  caPem: string
  bankId: string
  register(clientId: string, metadata: object): Promise<void>
  /** Starts counting the server's CPU time. */
  markCpu(): void
  /** The server's CPU time (user + system, all threads) since the last mark, in milliseconds. */
  readCpu(): Promise<number>
  close(): Promise<void>
}

/**
 * Forks bench-token-server over `dataDir` with the heap setting of `npm start`; from the sources
 * (tests) the module runs through tsx.
 */
async function startTokenServer(dataDir: string, cpuProfileDir?: string): Promise<TokenServer> {
  const compiled = new URL('./bench-token-server.js', import.meta.url)
  const fromSources = !existsSync(fileURLToPath(compiled))
  const entry = fileURLToPath(
    fromSources ? new URL('./bench-token-server.ts', import.meta.url) : compiled,
  )
  const child = fork(entry, [dataDir], {
    execArgv: [
      '--max-semi-space-size=64',
      ...(fromSources ? ['--import', 'tsx'] : []),
      ...(cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`]),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const next = () =>
    new Promise<TokenServerMessage>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the benchmark's sandbox process exited with code ${code}`))
      child.once('exit', onExit)
      child.once('message', (message: TokenServerMessage) => {
        child.off('exit', onExit)
        if (message.type === 'failed') reject(new Error(message.message))
        else resolve(message)
      })
    })
  const ask = async (request: TokenServerRequest) => {
    const answer = next()
    child.send(request)
    return answer
  }
  const ready = await next().catch((error: unknown) => {
    child.kill()
    throw error
  })
  if (ready.type !== 'ready') {
    child.kill()
    throw new Error(`the benchmark's sandbox did not start: ${JSON.stringify(ready)}`)
  }
  return {
    bankOpUrl: ready.bankOpUrl,
    caPem: ready.caPem,
    bankId: ready.bankId,
    async register(clientId, metadata) {
      await ask({ type: 'register', clientId, metadata: metadata as never })
    },
    markCpu: () => child.send({ type: 'mark-cpu' } satisfies TokenServerRequest),
    async readCpu() {
      const message = await ask({ type: 'read-cpu' })
      if (message.type !== 'cpu') throw new Error(`unexpected answer ${JSON.stringify(message)}`)
      return message.milliseconds
    },
    async close() {
      if (child.connected) child.send({ type: 'close' } satisfies TokenServerRequest)
      await exited
    },
  }
}

/** The middle value, or the mean of the two middle values of an even count. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  if (sorted.length % 2 === 1) return sorted[middle] ?? 0
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

export function tokenEndpointBenchmark(options: TokenLoadOptions = {}): Benchmark {
  const concurrency = options.concurrency ?? 16
  const rounds = options.rounds ?? 4
  const roundMs = options.roundMs ?? 3000
  const ceilingMs = options.ceilingMs ?? 1000
  const warmupOperations = options.warmupOperations ?? 300
  return {
    name: 'token endpoint',
    async run({ tmpDir, log }) {
      const server = await startTokenServer(
        join(tmpDir, 'token-endpoint'),
        options.serverCpuProfileDir,
      )
      const issuer = `${server.bankOpUrl}/${server.bankId}`
      const clientKey = await generateKeyPair('ES256', { extractable: true })
      const dpopKey = await generateKeyPair('ES256', { extractable: true })
      const kid = 'bench'
      await server.register(BENCH_CLIENT_ID, {
        client_id: BENCH_CLIENT_ID,
        client_name: 'Token endpoint benchmark',
        token_endpoint_auth_method: 'private_key_jwt',
        grant_types: ['client_credentials'],
        jwks: {
          keys: [{ ...(await exportJWK(clientKey.publicKey)), kid, alg: 'ES256', use: 'sig' }],
        },
      })
      const client = createTokenClient({
        issuer,
        tokenUrl: `${issuer}/token`,
        ca: server.caPem,
        clientId: BENCH_CLIENT_ID,
        kid,
        clientKey: await exportJWK(clientKey.privateKey),
        dpopKey: await exportJWK(dpopKey.privateKey),
        connections: concurrency,
      })
      try {
        const operation = () => client.request()
        await runLoad({ concurrency, operation, maxOperations: warmupOperations, maxMs: 30_000 })
        // The ceiling's own JIT warm-up, not counted.
        await measureCryptoCeiling({ concurrency, maxOperations: 500, maxMs: 1000 })

        // Load rounds with a ceiling measurement before, between and after them: a machine whose
        // speed drifts (other work, a shared host) weighs on both figures alike.
        const ceilings: CryptoCeiling[] = []
        const perRound: number[] = []
        const latencies: number[] = []
        let tokens = 0
        let seconds = 0
        let serverCpuMs = 0
        let clientCpuMs = 0
        for (let round = 0; round < rounds; round++) {
          ceilings.push(await measureCryptoCeiling({ concurrency, maxMs: ceilingMs }))
          server.markCpu()
          const cpuBefore = process.cpuUsage()
          const load = await runLoad({
            concurrency,
            operation,
            maxOperations: Number.MAX_SAFE_INTEGER,
            maxMs: roundMs,
            latencies,
          })
          const cpu = process.cpuUsage(cpuBefore)
          clientCpuMs += (cpu.user + cpu.system) / 1000
          serverCpuMs += await server.readCpu()
          tokens += load.operations
          seconds += load.seconds
          perRound.push(load.perSecond)
        }
        ceilings.push(await measureCryptoCeiling({ concurrency, maxMs: ceilingMs }))

        latencies.sort((a, b) => a - b)
        const perSecond = seconds > 0 ? tokens / seconds : 0
        const p50Ms = percentile(latencies, 0.5)
        const p99Ms = percentile(latencies, 0.99)
        const ceilingRates = ceilings.map(({ requestsPerSecond }) => requestsPerSecond)
        const ceiling = median(ceilingRates)
        const share = ceiling > 0 ? perSecond / ceiling : 0
        const perToken = (milliseconds: number) => milliseconds / Math.max(1, tokens)
        const list = (values: readonly number[]) => values.map((v) => Math.round(v)).join(', ')
        log(
          `token endpoint: ${Math.round(perSecond)} tokens/s, p50 ${p50Ms.toFixed(1)} ms, p99 ${p99Ms.toFixed(1)} ms; ceiling ${Math.round(ceiling)} requests/s (median of ${list(ceilingRates)}); ${(share * 100).toFixed(1)} % of it; CPU per token ${perToken(serverCpuMs).toFixed(2)} ms server, ${perToken(clientCpuMs).toFixed(2)} ms load generator`,
        )
        const cpuDetail =
          'user + system time of the process, every thread, over the measured rounds, divided by the tokens; steadier than tokens/s when other work shares the machine'
        const figures: BenchFigure[] = [
          {
            name: 'client_credentials + private_key_jwt + DPoP (ES256)',
            value: Math.round(perSecond),
            unit: 'tokens per second',
            detail: `${concurrency} in flight over keep-alive TLS to 127.0.0.1; the sandbox in its own process as npm start runs it, the load generator in this one signing a fresh assertion and proof per request with node:crypto; ${tokens} tokens in ${seconds.toFixed(2)} s over ${rounds} rounds (${list(perRound)} tokens/s) after ${warmupOperations} warm-up requests, every one 200 DPoP`,
          },
          { name: 'token request latency p50', value: round(p50Ms), unit: 'ms' },
          { name: 'token request latency p99', value: round(p99Ms), unit: 'ms' },
          {
            name: 'crypto ceiling in the same run, median',
            value: Math.round(ceiling),
            unit: 'requests per second',
            detail: `1 / (2 / verify + 1 / sign), measured ${ceilings.length} times (before, between and after the load rounds, with the sandbox idle): ${ceilings.map((c) => `${Math.round(c.requestsPerSecond)} (verify ${Math.round(c.verify.perSecond)}/s, sign ${Math.round(c.sign.perSecond)}/s)`).join('; ')}`,
          },
          {
            name: 'share of the crypto ceiling',
            value: round(share * 100),
            unit: '%',
            detail: `tokens/s over the median ceiling; target ${TARGET_SHARE_OF_CEILING * 100} %; against the lowest and highest ceiling measured ${round((perSecond / Math.max(...ceilingRates)) * 100)} to ${round((perSecond / Math.min(...ceilingRates)) * 100)} %`,
          },
          {
            name: 'server CPU time per token',
            value: round(perToken(serverCpuMs)),
            unit: 'ms',
            detail: cpuDetail,
          },
          {
            name: 'load generator CPU time per token',
            value: round(perToken(clientCpuMs)),
            unit: 'ms',
            detail: cpuDetail,
          },
        ]
        return figures
      } finally {
        await client.close()
        await server.close()
      }
    },
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
