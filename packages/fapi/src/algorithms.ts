/** FAPI 2.0 signing algorithms and key-strength floors (FAPI 2.0 SP 5.4.1). */
import {
  FAPI_SIGNING_ALGS,
  type FapiSigningAlg,
  isFapiSigningAlg,
} from '@sandbox/spec-types/oauth/signing-alg'
import { base64url, type JWK } from 'jose'

export { FAPI_SIGNING_ALGS, type FapiSigningAlg, isFapiSigningAlg }

/** The key type and curve each allowed algorithm needs. */
export const KEY_TYPE_FOR_ALG: Readonly<Record<FapiSigningAlg, { kty: string; crv?: string }>> = {
  PS256: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  // SP 5.4.1 Note: EdDSA with the Ed25519 curve only, never Ed448.
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
}

/** SP 5.4.1-2: RSA keys of at least 2048 bits. */
export const MIN_RSA_BITS = 2048

/** JWK members that hold private or symmetric key material (RFC 7518 section 6). */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const

/** Does the JWK carry private or symmetric material? */
export function hasPrivateMembers(jwk: object): boolean {
  return PRIVATE_JWK_MEMBERS.some((member) => member in jwk)
}

function rsaModulusBits(n: string): number {
  let bytes: Uint8Array
  try {
    bytes = base64url.decode(n)
  } catch {
    return 0
  }
  let start = 0
  while (start < bytes.length && bytes[start] === 0) start++
  const first = bytes[start]
  if (first === undefined) return 0
  return (bytes.length - start - 1) * 8 + (32 - Math.clz32(first))
}

/**
 * Why `jwk` cannot verify `alg` under SP 5.4.1-1/-2/-3, or `undefined` when it can.
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.4.1
 */
export function keyProblem(jwk: JWK, alg: FapiSigningAlg): string | undefined {
  const wanted = KEY_TYPE_FOR_ALG[alg]
  if (jwk.kty !== wanted.kty) return `${alg} needs kty ${wanted.kty}`
  if (wanted.crv !== undefined && jwk.crv !== wanted.crv) return `${alg} needs crv ${wanted.crv}`
  if (jwk.kty === 'RSA') {
    const bits = typeof jwk.n === 'string' ? rsaModulusBits(jwk.n) : 0
    if (bits < MIN_RSA_BITS) return `RSA key has ${bits} bits, at least ${MIN_RSA_BITS} required`
  }
  return undefined
}
