/**
 * The token endpoint's load generator, run in a worker thread so its TLS, HTTP and signing
 * share the machine with the server but not the server's event loop (as a separate client
 * process would): client_credentials with a fresh private_key_jwt assertion and a fresh DPoP
 * proof per request, `concurrency` in flight over keep-alive connections.
 */
import { createPrivateKey, type KeyObject, randomUUID, sign } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import { JWT_BEARER_CLIENT_ASSERTION_TYPE } from '@sandbox/fapi/client-assertion'
import type { JWK } from 'jose'
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

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

/**
 * A compact ES256 JWS signed on this thread with node:crypto (IEEE P1363 signatures, RFC 7518
 * section 3.4): the load generator stands in for another machine, so it keeps its signing off the
 * thread pool the server's WebCrypto work runs on.
 */
function signEs256(header: object, claims: object, key: KeyObject): string {
  const input = `${encode(header)}.${encode(claims)}`
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
  return `${input}.${signature.toString('base64url')}`
}

async function main(job: TokenClientJob, port: NonNullable<typeof parentPort>) {
  const clientKey = createPrivateKey({ key: job.clientKey as never, format: 'jwk' })
  const dpopKey = createPrivateKey({ key: job.dpopKey as never, format: 'jwk' })
  const { d: _private, ...dpopPublic } = job.dpopKey
  const url = new URL(job.tokenUrl)
  const pool = new Pool(url.origin, { connections: job.concurrency, connect: { ca: job.ca } })
  const request = async () => {
    const now = Math.floor(Date.now() / 1000)
    // RFC 7523 section 3 with FAPI 2.0 SP 5.3.2.1-8 (aud the issuer string); RFC 9449 section 4.2.
    const assertion = signEs256(
      { alg: 'ES256', kid: job.kid },
      {
        iss: job.clientId,
        sub: job.clientId,
        aud: job.issuer,
        iat: now,
        exp: now + 60,
        jti: randomUUID(),
      },
      clientKey,
    )
    const proof = signEs256(
      { typ: 'dpop+jwt', alg: 'ES256', jwk: dpopPublic },
      { jti: randomUUID(), htm: 'POST', htu: job.tokenUrl, iat: now },
      dpopKey,
    )
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
