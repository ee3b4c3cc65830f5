/**
 * The token endpoint under load: client_credentials with private_key_jwt (RFC 7523) and DPoP
 * (RFC 9449), ES256, a fresh assertion (new jti) and a fresh proof for every request, 16 in
 * flight over keep-alive TLS connections, against a running sandbox on this machine. Beside it,
 * measured in the same run, the crypto ceiling those requests cannot pass (bench-crypto-ceiling),
 * and the share of it the endpoint reaches.
 */
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import { bankRepositories } from '@sandbox/store/bank-database'
import { exportJWK, generateKeyPair } from 'jose'
import { measureCryptoCeiling } from './bench-crypto-ceiling.js'
import type { BenchFigure, Benchmark } from './bench-harness.js'
import type { LoadResult } from './bench-load.js'
import type { TokenClientJob, TokenClientMessage } from './bench-token-client.js'
import { launchSandbox } from './launch.js'
import { portsFor } from './services.js'

export interface TokenLoadOptions {
  concurrency?: number
  maxOperations?: number
  maxMs?: number
}

const BENCH_CLIENT_ID = 'bench-client-credentials'

/** The share of the ceiling the issue asks the endpoint to reach. */
export const TARGET_SHARE_OF_CEILING = 0.4

export function tokenEndpointBenchmark(options: TokenLoadOptions = {}): Benchmark {
  return {
    name: 'token endpoint',
    async run({ tmpDir, log }) {
      const concurrency = options.concurrency ?? 16
      const sandbox = await launchSandbox({
        dataDir: join(tmpDir, 'token-endpoint'),
        host: '127.0.0.1',
        ports: portsFor(0),
        seed: 42,
        customersPerBank: 5,
        reset: false,
      })
      try {
        // The DPoP bank without nonces: one request per token, as the figure counts.
        const opened = sandbox.banks.find(
          ({ bank }: { bank: Bank }) =>
            bank.profile.senderConstraint === 'dpop' && !bank.profile.dpopNonceRequired,
        )
        const bankOp = sandbox.services.find((service) => service.name === 'bank-op')
        if (opened === undefined || bankOp === undefined) throw new Error('no DPoP bank running')
        const issuer = `${bankOp.url}/${opened.bank.id}`
        const tokenUrl = `${issuer}/token`

        const clientKey = await generateKeyPair('ES256', { extractable: true })
        const kid = 'bench'
        const now = Math.floor(Date.now() / 1000)
        await bankRepositories(opened.db).clients.upsert({
          clientId: BENCH_CLIENT_ID,
          metadata: {
            client_id: BENCH_CLIENT_ID,
            client_name: 'Token endpoint benchmark',
            token_endpoint_auth_method: 'private_key_jwt',
            grant_types: ['client_credentials'],
            jwks: {
              keys: [{ ...(await exportJWK(clientKey.publicKey)), kid, alg: 'ES256', use: 'sig' }],
            } as never,
          },
          createdAt: now,
          updatedAt: now,
        })
        const dpopKey = await generateKeyPair('ES256', { extractable: true })
        const job: TokenClientJob = {
          issuer,
          tokenUrl,
          ca: sandbox.pki.ca.certPem,
          clientId: BENCH_CLIENT_ID,
          kid,
          clientKey: await exportJWK(clientKey.privateKey),
          dpopKey: await exportJWK(dpopKey.privateKey),
          concurrency,
          warmupOperations: 300,
          maxOperations: options.maxOperations ?? 20_000,
          maxMs: options.maxMs ?? 10_000,
        }
        // The ceiling first, on a quiet machine; then the endpoint under load.
        const ceiling = await measureCryptoCeiling({ concurrency, maxMs: 3000 })
        const load = await runTokenClient(job)
        const share = load.perSecond / ceiling.requestsPerSecond
        log(
          `token endpoint: ${Math.round(load.perSecond)} tokens/s, p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms; ceiling ${Math.round(ceiling.requestsPerSecond)} requests/s; ${(share * 100).toFixed(1)} % of it`,
        )
        const figures: BenchFigure[] = [
          {
            name: 'client_credentials + private_key_jwt + DPoP (ES256)',
            value: Math.round(load.perSecond),
            unit: 'tokens per second',
            detail: `${concurrency} in flight over keep-alive TLS, fresh assertion and proof per request signed by the load generator in a worker thread of the same process; ${load.operations} tokens in ${load.seconds.toFixed(2)} s, every one 200 DPoP`,
          },
          { name: 'token request latency p50', value: round(load.p50Ms), unit: 'ms' },
          { name: 'token request latency p99', value: round(load.p99Ms), unit: 'ms' },
          {
            name: 'crypto ceiling in the same run',
            value: Math.round(ceiling.requestsPerSecond),
            unit: 'requests per second',
            detail: `ES256 verify ${Math.round(ceiling.verify.perSecond)}/s, sign ${Math.round(ceiling.sign.perSecond)}/s, 1 / (2 / verify + 1 / sign)`,
          },
          {
            name: 'share of the crypto ceiling',
            value: round(share * 100),
            unit: '%',
            detail: `target ${TARGET_SHARE_OF_CEILING * 100} %`,
          },
        ]
        return figures
      } finally {
        await sandbox.close()
      }
    },
  }
}

/** Runs the load generator in a worker thread and resolves with its measured run. */
function runTokenClient(job: TokenClientJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bench-token-client.js', import.meta.url), {
      workerData: job,
    })
    worker.on('message', (message: TokenClientMessage) => {
      if (message.kind === 'done') resolve(message.result)
      if (message.kind === 'failed') reject(new Error(message.message))
    })
    worker.on('error', reject)
    worker.on('exit', (code: number) => {
      if (code !== 0) reject(new Error(`the load generator exited with ${code}`))
    })
  })
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
