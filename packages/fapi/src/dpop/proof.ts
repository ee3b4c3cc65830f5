/** DPoP proof JWTs: creation and the checks of RFC 9449 section 4.3 (rows AS-SC-01..12). */
import { base64url, compactVerify, decodeProtectedHeader, type JWK, SignJWT } from 'jose'
import {
  type FapiSigningAlg,
  hasPrivateMembers,
  isFapiSigningAlg,
  keyProblem,
} from '../algorithms.js'
import { checkSkewSetting, DEFAULT_SKEW_SECONDS } from '../clock.js'
import { echo } from '../errors/describe.js'
import { OAuthError } from '../errors/oauth-error.js'
import { rules } from '../errors/rules.js'
import type { JtiStore } from '../jti-store.js'
import { importPublicJwk } from '../public-key-cache.js'
import { calculateJwkThumbprint } from './thumbprint.js'

export interface DpopProofClaims {
  jti: string
  htm: string
  htu: string
  iat: number
  ath?: string
  nonce?: string
}

export interface VerifiedDpopProof {
  jkt: string
  jwk: JWK
  jti: string
  iat: number
}

export interface VerifyDpopProofOptions {
  htm: string
  htu: string
  /** Seconds since the epoch. */
  now: number
  accessToken?: string | undefined
  /** The thumbprint the token or code is bound to (`cnf.jkt`, `dpop_jkt`). */
  expectedJkt?: string | undefined
  /** Server nonces, when this server uses them (AS-SC-10). */
  nonce?: {
    check(value: string, now: number): Promise<boolean>
    issue(now: number): Promise<string>
  }
  seenJti: JtiStore
  /** How old a proof may be (sandbox policy P: 60 s). */
  maxAgeSeconds?: number
  /** How far ahead `iat` may be (10-60 s, SP 5.3.2.1-13). */
  skewSeconds?: number
}

/** `base64url(SHA-256(access token))`, the `ath` claim (RFC 9449 section 4.2). */
export async function calculateAth(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))
  return base64url.encode(new Uint8Array(digest))
}

/**
 * RFC 9449 section 4.3 step 9 and its note: compare without query and fragment, with scheme and
 * host in lower case and the default port removed (the WHATWG URL parser does both).
 */
export function normalizeHtu(value: string): string | undefined {
  try {
    const url = new URL(value)
    return `${url.protocol}//${url.host}${url.pathname}`
  } catch {
    return undefined
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Verifies the DPoP proof of one request.
 * @throws OAuthError AS-SC-01 to AS-SC-12 (AS status; see resourceServerDpopError for the RS)
 * @see https://www.rfc-editor.org/rfc/rfc9449.html#section-4.3
 */
export async function verifyDpopProof(
  proof: string | readonly string[] | undefined,
  options: VerifyDpopProofOptions,
): Promise<VerifiedDpopProof> {
  const { now } = options
  const skew = checkSkewSetting(options.skewSeconds ?? DEFAULT_SKEW_SECONDS)
  const maxAge = options.maxAgeSeconds ?? 60
  // Step 1: exactly one DPoP header.
  const values = proof === undefined ? [] : typeof proof === 'string' ? [proof] : proof
  const [jws] = values
  if (values.length !== 1 || jws === undefined) {
    throw new OAuthError(rules.dpopSingleProof, `got ${values.length}`)
  }
  // Step 2: a well-formed JWS.
  let header: ReturnType<typeof decodeProtectedHeader>
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws)) {
    throw new OAuthError(rules.dpopWellFormed, 'not a compact JWS')
  }
  try {
    header = decodeProtectedHeader(jws)
  } catch {
    throw new OAuthError(rules.dpopWellFormed, 'the header is not JSON')
  }
  // Steps 3 to 5: typ, alg and jwk.
  if (header.typ === undefined || header.alg === undefined || header.jwk === undefined) {
    throw new OAuthError(rules.dpopRequiredMembers, 'typ, alg and jwk are required in the header')
  }
  if (header.typ !== 'dpop+jwt') throw new OAuthError(rules.dpopTyp, `got ${echo(header.typ)}`)
  const alg = header.alg
  if (!isFapiSigningAlg(alg)) throw new OAuthError(rules.dpopAlg, `got ${echo(alg)}`)
  const jwk = header.jwk as unknown
  // Step 7: the key is public, and SP 5.4.1-2/-3 floors apply.
  if (!isRecord(jwk)) throw new OAuthError(rules.dpopPublicJwk, 'jwk is not an object')
  if (hasPrivateMembers(jwk))
    throw new OAuthError(rules.dpopPublicJwk, 'jwk carries private members')
  const problem = keyProblem(jwk as JWK, alg as FapiSigningAlg)
  if (problem !== undefined) throw new OAuthError(rules.dpopPublicJwk, problem)
  // Step 6: the signature verifies with the embedded key.
  let payload: unknown
  try {
    const key = await importPublicJwk(jwk as JWK, alg)
    if (key === undefined) throw new TypeError('not an asymmetric key')
    const verified = await compactVerify(jws, key, { algorithms: [alg] })
    payload = JSON.parse(new TextDecoder().decode(verified.payload))
  } catch (cause) {
    throw new OAuthError(rules.dpopSignature, 'the signature does not verify', {}, { cause })
  }
  if (!isRecord(payload))
    throw new OAuthError(rules.dpopWellFormed, 'the payload is not a JSON object')
  const { jti, htm, htu, iat, ath, nonce } = payload
  if (
    typeof jti !== 'string' ||
    jti === '' ||
    typeof htm !== 'string' ||
    typeof htu !== 'string' ||
    typeof iat !== 'number'
  ) {
    throw new OAuthError(rules.dpopRequiredMembers, 'jti, htm, htu and iat are required')
  }
  if (options.accessToken !== undefined && typeof ath !== 'string') {
    throw new OAuthError(rules.dpopRequiredMembers, 'ath is required with an access token')
  }
  // Step 8 (RFC 9110 section 9.1: methods are case-sensitive).
  if (htm !== options.htm) throw new OAuthError(rules.dpopHtm, `got ${echo(htm)}`)
  // Step 9.
  const expected = normalizeHtu(options.htu)
  if (expected === undefined || normalizeHtu(htu) !== expected) {
    throw new OAuthError(rules.dpopHtu, `got ${echo(htu)}`)
  }
  // Step 11 and SP 5.3.2.1-13.
  if (iat > now + skew) throw new OAuthError(rules.dpopIat, `iat is ${iat - now} s ahead`)
  if (iat < now - maxAge) throw new OAuthError(rules.dpopIat, `iat is ${now - iat} s old`)
  // Step 10 and section 8: a fresh nonce travels with the error.
  if (options.nonce !== undefined) {
    const valid = typeof nonce === 'string' && (await options.nonce.check(nonce, now))
    if (!valid) {
      const fresh = await options.nonce.issue(now)
      throw new OAuthError(
        rules.dpopNonce,
        typeof nonce === 'string' ? 'the nonce is stale or unknown' : 'the nonce is missing',
        { 'DPoP-Nonce': fresh },
      )
    }
  }
  // Step 12.
  if (options.accessToken !== undefined && ath !== (await calculateAth(options.accessToken))) {
    throw new OAuthError(rules.dpopAth, 'ath does not match the access token')
  }
  const jkt = await calculateJwkThumbprint(jwk as JWK)
  if (options.expectedJkt !== undefined && jkt !== options.expectedJkt) {
    throw new OAuthError(rules.dpopKeyBinding, 'the proof key is not the bound key')
  }
  // RFC 9449 section 11.1: remember the jti for as long as the proof is acceptable.
  if (!(await options.seenJti.remember(`dpop:${jkt}:${jti}`, iat + maxAge + skew))) {
    throw new OAuthError(rules.dpopReplay)
  }
  return { jkt, jwk: jwk as JWK, jti, iat }
}

/**
 * Signs a DPoP proof (client side).
 * @see https://www.rfc-editor.org/rfc/rfc9449.html#section-4.2
 */
export async function createDpopProof(options: {
  key: CryptoKey
  jwk: JWK
  alg: FapiSigningAlg
  htm: string
  htu: string
  accessToken?: string
  nonce?: string
  now: number
  jti: string
}): Promise<string> {
  if (hasPrivateMembers(options.jwk)) throw new TypeError('the DPoP jwk must be the public key')
  const claims: DpopProofClaims = {
    jti: options.jti,
    htm: options.htm,
    htu: options.htu,
    iat: options.now,
  }
  if (options.accessToken !== undefined) claims.ath = await calculateAth(options.accessToken)
  if (options.nonce !== undefined) claims.nonce = options.nonce
  return new SignJWT({ ...claims })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: options.alg, jwk: options.jwk })
    .sign(options.key)
}
