/**
 * The token endpoint's load generator, run in a worker thread so its TLS, HTTP and signing
 * share the machine with the server but not the server's event loop (as a separate client
 * process would): client_credentials with a fresh private_key_jwt assertion and a fresh DPoP
 * proof per request, `concurrency` in flight over keep-alive connections.
 */
import { randomUUID } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import {
  createClientAssertion,
  JWT_BEARER_CLIENT_ASSERTION_TYPE,
} from '@sandbox/fapi/client-assertion'
import { createDpopProof } from '@sandbox/fapi/dpop/proof'
import { type CryptoKey, importJWK, type JWK } from 'jose'
import { Pool } from 'undici'
import { type LoadResult, runLoad } from './bench-load.js'

export interface TokenClientJob {
  issuer: string
  tokenUrl: string
  ca: string
  clientId: string
  kid: string
  /** Private JWKs: the client's assertion key and its DPoP key (ES256). */
  clientKey: JWK
  dpopKey: JWK
  concurrency: number
  warmupOperations: number
  maxOperations: number
  maxMs: number
}

export type TokenClientMessage =
  | { kind: 'warm' }
  | { kind: 'done'; result: LoadResult }
  | { kind: 'failed'; message: string }

async function main(job: TokenClientJob, port: NonNullable<typeof parentPort>) {
  const clientKey = await importJWK(job.clientKey, 'ES256')
  const dpopKey = await importJWK(job.dpopKey, 'ES256')
  const { d: _private, ...dpopPublic } = job.dpopKey
  const url = new URL(job.tokenUrl)
  const pool = new Pool(url.origin, { connections: job.concurrency, connect: { ca: job.ca } })
  const request = async () => {
    const now = Math.floor(Date.now() / 1000)
    const [assertion, proof] = await Promise.all([
      createClientAssertion({
        clientId: job.clientId,
        issuer: job.issuer,
        key: clientKey as CryptoKey,
        alg: 'ES256',
        kid: job.kid,
        now,
        jti: randomUUID(),
      }),
      createDpopProof({
        key: dpopKey as CryptoKey,
        jwk: dpopPublic,
        alg: 'ES256',
        htm: 'POST',
        htu: job.tokenUrl,
        now,
        jti: randomUUID(),
      }),
    ])
    const response = await pool.request({
      method: 'POST',
      path: url.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'payments',
        client_id: job.clientId,
        client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
        client_assertion: assertion,
      }).toString(),
    })
    const text = await response.body.text()
    if (response.statusCode !== 200 || !text.includes('"token_type":"DPoP"')) {
      throw new Error(`token request failed: ${response.statusCode} ${text.slice(0, 200)}`)
    }
  }
  try {
    const load = { concurrency: job.concurrency, operation: request }
    await runLoad({ ...load, maxOperations: job.warmupOperations, maxMs: 10_000 })
    port.postMessage({ kind: 'warm' } satisfies TokenClientMessage)
    const result = await runLoad({ ...load, maxOperations: job.maxOperations, maxMs: job.maxMs })
    port.postMessage({ kind: 'done', result } satisfies TokenClientMessage)
  } catch (error) {
    port.postMessage({ kind: 'failed', message: String(error) } satisfies TokenClientMessage)
  } finally {
    await pool.close()
  }
}

if (parentPort !== null) await main(workerData as TokenClientJob, parentPort)
