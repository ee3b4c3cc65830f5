/**
 * The token endpoint's load generator: client_credentials with a fresh private_key_jwt assertion
 * and a fresh DPoP proof per request, over keep-alive HTTPS connections. It runs in the benchmark
 * process while the sandbox runs in its own (bench-token-server), so the two share the machine's
 * cores as a client and a server on one host do, never an event loop or a thread pool.
 */
import { createPrivateKey, type KeyObject, randomUUID, sign } from 'node:crypto'
import { JWT_BEARER_CLIENT_ASSERTION_TYPE } from '@sandbox/fapi/client-assertion'
import type { JWK } from 'jose'
import { Pool } from 'undici'

export interface TokenClientOptions {
  issuer: string
  tokenUrl: string
  ca: string
  clientId: string
  kid: string
  /** Private JWKs: the client's assertion key and its DPoP key (ES256). */
  clientKey: JWK
  dpopKey: JWK
  /** Keep-alive connections, one per request in flight. */
  connections: number
}

export interface TokenClient {
  /** One token request; rejects unless the answer is 200 with a DPoP token. */
  request(): Promise<void>
  close(): Promise<void>
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

/**
 * A compact ES256 JWS signed with node:crypto (IEEE P1363 signatures, RFC 7518 section 3.4): the
 * load generator stands in for another machine, so it signs synchronously on its own thread and
 * leaves the thread pool and jose's WebCrypto path to what the ceiling measures.
 */
function signEs256(header: object, claims: object, key: KeyObject): string {
  const input = `${encode(header)}.${encode(claims)}`
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
  return `${input}.${signature.toString('base64url')}`
}

export function createTokenClient(options: TokenClientOptions): TokenClient {
  const clientKey = createPrivateKey({ key: options.clientKey as never, format: 'jwk' })
  const dpopKey = createPrivateKey({ key: options.dpopKey as never, format: 'jwk' })
  const { d: _private, ...dpopPublic } = options.dpopKey
  const url = new URL(options.tokenUrl)
  const pool = new Pool(url.origin, {
    connections: options.connections,
    connect: { ca: options.ca },
  })
  return {
    async request() {
      const now = Math.floor(Date.now() / 1000)
      // RFC 7523 section 3 with FAPI 2.0 SP 5.3.2.1-8 (aud the issuer string); RFC 9449 4.2.
      const assertion = signEs256(
        { alg: 'ES256', kid: options.kid },
        {
          iss: options.clientId,
          sub: options.clientId,
          aud: options.issuer,
          iat: now,
          exp: now + 60,
          jti: randomUUID(),
        },
        clientKey,
      )
      const proof = signEs256(
        { typ: 'dpop+jwt', alg: 'ES256', jwk: dpopPublic },
        { jti: randomUUID(), htm: 'POST', htu: options.tokenUrl, iat: now },
        dpopKey,
      )
      const response = await pool.request({
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'payments',
          client_id: options.clientId,
          client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
          client_assertion: assertion,
        }).toString(),
      })
      const text = await response.body.text()
      if (response.statusCode !== 200 || !text.includes('"token_type":"DPoP"')) {
        throw new Error(`token request failed: ${response.statusCode} ${text.slice(0, 200)}`)
      }
    },
    close: () => pool.close(),
  }
}
