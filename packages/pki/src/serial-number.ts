/** Random certificate serial numbers (RFC 5280 section 4.1.2.2: positive, at most 20 octets). */
import { randomBytes } from 'node:crypto'

/**
 * Returns 16 random octets as hex, the first in 0x40..0x7f so the DER INTEGER is positive and
 * minimally encoded (no leading zero octet), with 126 bits of entropy (CA/B Forum BR 7.1 asks 64).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5280.html#section-4.1.2.2
 */
export function randomSerialNumber(random: (size: number) => Uint8Array = randomBytes): string {
  const octets = random(16)
  octets[0] = ((octets[0] ?? 0) & 0x3f) | 0x40
  return Buffer.from(octets).toString('hex')
}
