/** Choosing a verification key from a client's or the issuer's JWKS (RFC 7517; FAPI 2.0 SP 5.4.1, 5.4.3). */
import { createLocalJWKSet, type JWK, type JWSHeaderParameters, type LocalJWKSet } from 'jose'
import { type FapiSigningAlg, hasPrivateMembers, keyProblem } from './algorithms.js'
import { OAuthError, type Rule } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'
import { importPublicJwk } from './public-key-cache.js'

export interface ClientJwks {
  keys: readonly JWK[]
}

export interface SelectedKey {
  key: CryptoKey
  jwk: JWK
}

// A repeated verification with the same registered key does not import it again, even when the
// client's record (and so its JWKS object) is read afresh for every request.
const importVerificationKey = importPublicJwk

/**
 * Resolves the key that verifies a JWS with `alg` and `kid` from a client's JWKS: `kid` match,
 * then `kty`/`crv`/`alg` consistency and `use`/`key_ops` (SP 5.4.3 allows duplicate kids).
 * Every check runs on every call; only the import is cached, per JWK object and algorithm, so a
 * JWK must not be mutated after its first use.
 * @throws OAuthError AS-CA-09 (no usable key, private members), AS-CA-13 (key below the floor)
 * by default; pass other rules for other JWT kinds.
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.4.3
 */
export async function selectClientKey(
  jwks: ClientJwks,
  want: { alg: FapiSigningAlg; kid?: string | undefined },
  onError: { noKey: Rule; weakKey: Rule } = {
    noKey: rules.clientAssertionKey,
    weakKey: rules.clientKeyStrength,
  },
): Promise<SelectedKey> {
  const candidates = jwks.keys.filter((jwk) => {
    if (want.kid !== undefined && jwk.kid !== want.kid) return false
    if (jwk.alg !== undefined && jwk.alg !== want.alg) return false
    if (jwk.use !== undefined && jwk.use !== 'sig') return false
    if (jwk.key_ops !== undefined && !jwk.key_ops.includes('verify')) return false
    // AS-ALG-05: among keys sharing a kid, the key type and curve decide.
    const problem = keyProblem(jwk, want.alg)
    return problem === undefined || problem.startsWith('RSA key has')
  })
  const jwk = candidates[0]
  if (jwk === undefined) {
    throw new OAuthError(onError.noKey, `no registered ${want.alg} signing key matches the kid`)
  }
  if (candidates.length > 1) {
    throw new OAuthError(
      onError.noKey,
      `${candidates.length} registered keys match, a kid is needed`,
    )
  }
  if (hasPrivateMembers(jwk)) {
    throw new OAuthError(onError.noKey, 'the registered key carries private members')
  }
  const problem = keyProblem(jwk, want.alg)
  if (problem !== undefined) throw new OAuthError(onError.weakKey, problem)
  const key = await importVerificationKey(jwk, want.alg)
  if (key === undefined) throw new OAuthError(onError.noKey, 'a symmetric key cannot be used')
  return { key, jwk }
}

/**
 * The authorization server's published keys as a verifier holds them: the JWKS from `jwks_uri`,
 * or a function that resolves a JWS header to a key (for a verifier with its own key cache).
 */
export type IssuerKeys = ClientJwks | ((header: JWSHeaderParameters) => Promise<CryptoKey>)

// One jose key set per JWKS object: it imports each key once, so a resource server that keeps the
// JWKS object it fetched does not import keys per request.
const issuerKeySets = new WeakMap<ClientJwks, LocalJWKSet>()

/**
 * A resolver that picks the key for a JWS header from the issuer's keys by `kid`, `alg`, `use` and
 * `key_ops`; exactly one key must match. Throws jose's JWKS errors, which callers map to their rule.
 * @see https://www.rfc-editor.org/rfc/rfc7515.html#section-4.1.4
 */
export function issuerKeyResolver(
  keys: IssuerKeys,
): (header: JWSHeaderParameters) => Promise<CryptoKey> {
  if (typeof keys === 'function') return keys
  let set = issuerKeySets.get(keys)
  if (set === undefined) {
    set = createLocalJWKSet({ keys: [...keys.keys] })
    issuerKeySets.set(keys, set)
  }
  const resolve = set
  return (header) => resolve(header)
}
