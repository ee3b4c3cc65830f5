/**
 * The bank APIs' load generator, in a worker thread like the token endpoint's (bench-token-client):
 * GET a page of 100 transactions with the access token of one of several customers and a fresh
 * DPoP proof for every request (new jti, `htu`, `iat` and the token's `ath`), `concurrency` in
 * flight over keep-alive TLS connections. The first pass reads each account's newest page and
 * keeps its `next` cursor, so later requests read older pages too.
 */
import { createHash, createPrivateKey, type KeyObject, randomUUID, sign } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import type { JWK } from 'jose'
import { Pool } from 'undici'
import { type LoadResult, runLoad } from './bench-load.js'

export interface ApiReader {
  accessToken: string
  accountId: string
}

export interface BankApiClientJob {
  /** `https://127.0.0.1:<port>/<bank>`: the base the token's audience names. */
  baseUrl: string
  ca: string
  readers: readonly ApiReader[]
  /** The private JWK every token is bound to (ES256). */
  dpopKey: JWK
  pageSize: number
  concurrency: number
  warmupOperations: number
  maxOperations: number
  maxMs: number
}

export type BankApiClientMessage =
  | { kind: 'warm' }
  | { kind: 'done'; result: LoadResult; pagesBeyondFirst: number }
  | { kind: 'failed'; message: string }

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** An ES256 DPoP proof signed on this thread with node:crypto (IEEE P1363, RFC 7518 3.4). */
function proof(key: KeyObject, jwk: JWK, htu: string, ath: string): string {
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk }
  const claims = { jti: randomUUID(), htm: 'GET', htu, iat: Math.floor(Date.now() / 1000), ath }
  const input = `${encode(header)}.${encode(claims)}`
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
  return `${input}.${signature.toString('base64url')}`
}

async function main(job: BankApiClientJob, port: NonNullable<typeof parentPort>) {
  const key = createPrivateKey({ key: job.dpopKey as never, format: 'jwk' })
  const { d: _private, ...jwk } = job.dpopKey
  const base = new URL(job.baseUrl)
  const pool = new Pool(base.origin, { connections: job.concurrency, connect: { ca: job.ca } })
  const readers = job.readers.map((reader) => ({
    ...reader,
    ath: createHash('sha256').update(reader.accessToken).digest('base64url'),
    path: `${base.pathname}/accounts/${reader.accountId}/transactions`,
    // Cursors of pages this reader has seen, so requests spread over the history.
    cursors: [] as string[],
  }))
  let pagesBeyondFirst = 0
  const request = async (index: number) => {
    const reader = readers[index % readers.length]
    if (reader === undefined) throw new Error('no readers')
    const cursor =
      reader.cursors.length === 0 ? undefined : reader.cursors[index % reader.cursors.length]
    if (cursor !== undefined) pagesBeyondFirst++
    const query = `limit=${job.pageSize}${cursor === undefined ? '' : `&after=${cursor}`}`
    const response = await pool.request({
      method: 'GET',
      path: `${reader.path}?${query}`,
      headers: {
        authorization: `DPoP ${reader.accessToken}`,
        dpop: proof(key, jwk, `${base.origin}${reader.path}`, reader.ath),
      },
    })
    const text = await response.body.text()
    if (response.statusCode !== 200) {
      throw new Error(`transactions request failed: ${response.statusCode} ${text.slice(0, 300)}`)
    }
    const next = /"nextCursor":"([^"]+)"/.exec(text)?.[1]
    if (next !== undefined && reader.cursors.length < 50) reader.cursors.push(next)
  }
  try {
    const load = { concurrency: job.concurrency, operation: request }
    await runLoad({ ...load, maxOperations: job.warmupOperations, maxMs: 15_000 })
    port.postMessage({ kind: 'warm' } satisfies BankApiClientMessage)
    pagesBeyondFirst = 0
    const result = await runLoad({ ...load, maxOperations: job.maxOperations, maxMs: job.maxMs })
    port.postMessage({ kind: 'done', result, pagesBeyondFirst } satisfies BankApiClientMessage)
  } catch (error) {
    port.postMessage({ kind: 'failed', message: String(error) } satisfies BankApiClientMessage)
  } finally {
    await pool.close()
  }
}

if (parentPort !== null) await main(workerData as BankApiClientJob, parentPort)
