/** Choosing a client's verification key from its JWKS (RFC 7517; FAPI 2.0 SP 5.4.1, 5.4.3). */
import { importJWK, type JWK } from 'jose'
import { type FapiSigningAlg, hasPrivateMembers, keyProblem } from './algorithms.js'
import { OAuthError, type Rule } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'

export interface ClientJwks {
  keys: readonly JWK[]
}

export interface SelectedKey {
  key: CryptoKey
  jwk: JWK
}

/**
 * Resolves the key that verifies a JWS with `alg` and `kid` from a client's JWKS: `kid` match,
 * then `kty`/`crv`/`alg` consistency and `use`/`key_ops` (SP 5.4.3 allows duplicate kids).
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
  const key = await importJWK(jwk, want.alg)
  if (key instanceof Uint8Array)
    throw new OAuthError(onError.noKey, 'a symmetric key cannot be used')
  return { key, jwk }
}
