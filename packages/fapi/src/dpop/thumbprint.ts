/** JWK thumbprints (RFC 7638) as DPoP uses them for `jkt` (RFC 9449 section 6). */
import { type JWK, calculateJwkThumbprint as joseThumbprint } from 'jose'

/** Sandbox policy: thumbprints of this many recent keys are remembered; oldest dropped first. */
const REMEMBERED = 10_000

const remembered = new Map<string, Promise<string>>()

/**
 * The base64url SHA-256 JWK thumbprint of a public key. A client proves possession with the same
 * key on every request, so the thumbprint of key material seen before is not hashed again; the
 * cache is keyed by exactly the members RFC 7638 section 3.2 hashes.
 * @see https://www.rfc-editor.org/rfc/rfc7638.html#section-3
 */
export function calculateJwkThumbprint(jwk: JWK): Promise<string> {
  const key = JSON.stringify([jwk.kty, jwk.crv, jwk.x, jwk.y, jwk.n, jwk.e])
  const known = remembered.get(key)
  if (known !== undefined) return known
  const thumbprint = joseThumbprint(jwk, 'sha256')
  thumbprint.catch(() => remembered.delete(key))
  if (remembered.size >= REMEMBERED) {
    const oldest = remembered.keys().next().value
    if (oldest !== undefined) remembered.delete(oldest)
  }
  remembered.set(key, thumbprint)
  return thumbprint
}
