/** The key a party signs its JWTs with: a private key, its FAPI algorithm and its `kid` (FAPI 2.0 SP 5.4.1). */
import type { FapiSigningAlg } from './algorithms.js'

/**
 * What every issuing function here takes: the bank's current key for the AS's JWTs (ID tokens,
 * JARM responses, access tokens, introspection responses), the client's key for request objects.
 * The `kid` always goes into the JWS header, so verifiers can pick the key from a JWKS that holds
 * several (AS-TOK-11, MS-JARM-03).
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.4.1
 */
export interface SigningKey {
  /** A private key usable for `alg`; never exported by this package. */
  key: CryptoKey
  alg: FapiSigningAlg
  kid: string
}

/** The protected header of a JWT signed with `signingKey`, with `typ` when the JWT kind has one. */
export function signingHeader(
  signingKey: SigningKey,
  typ?: string,
): { alg: FapiSigningAlg; kid: string; typ?: string } {
  return {
    alg: signingKey.alg,
    kid: signingKey.kid,
    ...(typ === undefined ? {} : { typ }),
  }
}
