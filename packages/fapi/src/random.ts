/** Unguessable identifiers of 128 bits for JWT ids and credentials (FAPI 2.0 SP 5.4.1-4; RFC 6749 section 10.10). */
import { base64url } from 'jose'

/**
 * A base64url string of `bytes` random bytes from WebCrypto: 16 bytes (22 characters) by default,
 * the SP 5.4.1-4 floor.
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.4.1
 */
export function randomIdentifier(bytes = 16): string {
  if (!Number.isInteger(bytes) || bytes < 16) throw new RangeError('at least 16 random bytes')
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)))
}
