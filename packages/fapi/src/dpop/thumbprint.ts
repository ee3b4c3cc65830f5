/** JWK thumbprints (RFC 7638) as DPoP uses them for `jkt` (RFC 9449 section 6). */
import { type JWK, calculateJwkThumbprint as joseThumbprint } from 'jose'

/**
 * The base64url SHA-256 JWK thumbprint of a public key.
 * @see https://www.rfc-editor.org/rfc/rfc7638.html#section-3
 */
export function calculateJwkThumbprint(jwk: JWK): Promise<string> {
  return joseThumbprint(jwk, 'sha256')
}
