/**
 * The crypto ceiling of the token endpoint on this machine: ES256 (FAPI 2.0 SP 5.4.1-1)
 * verifications and signatures per second through jose's WebCrypto path, several in flight so
 * every core and libuv thread works, and the request rate those allow. A DPoP token request
 * verifies two signatures (the client assertion, RFC 7523 section 3; the DPoP proof, RFC 9449
 * section 4.3) and makes one (the access token, RFC 9068), so no implementation on this machine
 * can exceed 1 / (2 / verify rate + 1 / sign rate) requests per second.
 */
import { randomUUID } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { generateKeyPair, jwtVerify, SignJWT } from 'jose'
import type { BenchFigure, Benchmark } from './bench-harness.js'
import { type LoadResult, runLoad } from './bench-load.js'

export interface CryptoCeilingOptions {
  /** Signatures in flight at once; 16, like the token endpoint's load generator. */
  concurrency?: number
  /** Each measurement stops after this many operations... */
  maxOperations?: number
  /** ...or after this many milliseconds. */
  maxMs?: number
}

export interface CryptoCeiling {
  verify: LoadResult
  sign: LoadResult
  /** Token requests per second the signatures alone allow. */
  requestsPerSecond: number
}

/** Requests per second when each takes two verifications and one signature. */
export function tokenRequestCeiling(verifyPerSecond: number, signPerSecond: number): number {
  if (verifyPerSecond <= 0 || signPerSecond <= 0) return 0
  return 1 / (2 / verifyPerSecond + 1 / signPerSecond)
}

/** An access token's claims (RFC 9068 section 2.2, DPoP-bound per RFC 9449 section 6.1). */
function accessTokenClaims(index: number) {
  return {
    client_id: 'demo-fintech',
    scope: 'openid accounts',
    jti: randomUUID(),
    cnf: { jkt: 'vtCnzxcH4jWkS2c9CtyHCgGEgL3m0-rs6DBz9FKz0OA' },
    authorization_details: [{ type: 'account_information', actions: ['list_accounts'] }],
    seq: index,
  }
}

/**
 * Measures ES256 verifications, then signatures, each with `concurrency` in flight.
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.4.1
 */
export async function measureCryptoCeiling(
  options: CryptoCeilingOptions = {},
): Promise<CryptoCeiling> {
  const load = {
    concurrency: options.concurrency ?? 16,
    maxOperations: options.maxOperations ?? 20_000,
    maxMs: options.maxMs ?? 3000,
  }
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const sign = (index: number) =>
    new SignJWT(accessTokenClaims(index))
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'bench' })
      .setIssuer('https://localhost:8441/aurora')
      .setSubject('customer-0001')
      .setAudience('https://localhost:8443/aurora')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey)
  const tokens = await Promise.all(Array.from({ length: 64 }, (_, index) => sign(index)))
  const verify = await runLoad({
    ...load,
    operation: (index) =>
      jwtVerify(tokens[index % tokens.length] ?? '', publicKey, { algorithms: ['ES256'] }),
  })
  const signed = await runLoad({ ...load, operation: sign })
  return {
    verify,
    sign: signed,
    requestsPerSecond: tokenRequestCeiling(verify.perSecond, signed.perSecond),
  }
}

/** The bench suite: verify/s, sign/s and the token request ceiling derived from them. */
export function cryptoCeilingBenchmark(options: CryptoCeilingOptions = {}): Benchmark {
  return {
    name: 'crypto ceiling',
    async run({ log }) {
      const concurrency = options.concurrency ?? 16
      const ceiling = await measureCryptoCeiling({ ...options, concurrency })
      const round = (value: number) => Math.round(value)
      const threads = process.env.UV_THREADPOOL_SIZE ?? '4 (default)'
      const where = `${concurrency} in flight, jose on WebCrypto, ${availableParallelism()} cores, libuv threads ${threads}`
      const latency = (result: LoadResult) =>
        `${result.operations} operations in ${result.seconds.toFixed(2)} s; p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`
      log(
        `crypto ceiling: verify ${round(ceiling.verify.perSecond)}/s, sign ${round(ceiling.sign.perSecond)}/s, ceiling ${round(ceiling.requestsPerSecond)} requests/s`,
      )
      const figures: BenchFigure[] = [
        {
          name: 'ES256 JWT verify',
          value: round(ceiling.verify.perSecond),
          unit: 'per second',
          detail: `${where}; ${latency(ceiling.verify)}`,
        },
        {
          name: 'ES256 JWT sign',
          value: round(ceiling.sign.perSecond),
          unit: 'per second',
          detail: `${where}; ${latency(ceiling.sign)}`,
        },
        {
          name: 'token request ceiling, 1 / (2 / verify + 1 / sign)',
          value: round(ceiling.requestsPerSecond),
          unit: 'requests per second',
          detail:
            'client assertion and DPoP proof verified, access token signed; key imports, JSON, HTTP and TLS not counted, so no token endpoint on this machine can pass it',
        },
      ]
      return figures
    },
  }
}
