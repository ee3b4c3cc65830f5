/** Stateless server-provided DPoP nonces (RFC 9449 sections 8 and 9). */
import { base64url } from 'jose'

export interface DpopNonces {
  /** A nonce for the `DPoP-Nonce` header, valid for the current and the next time slot. */
  issueDpopNonce(now: number): Promise<string>
  /** Is `value` a nonce this server issued in the current or the previous slot? */
  checkDpopNonce(value: string, now: number): Promise<boolean>
}

/**
 * Nonces as `<slot>.<HMAC-SHA-256(secret, slot)>`: no state, 256-bit MAC (SP 5.4.1-4 asks for 128).
 * Every client sees the same nonce within a slot, which is all RFC 9449 section 8 needs: it bounds
 * how far ahead a proof can be made.
 * @param secret at least 32 random bytes, injected
 * @see https://www.rfc-editor.org/rfc/rfc9449.html#section-8
 */
export function createDpopNonces(
  secret: Uint8Array,
  options: { slotSeconds?: number } = {},
): DpopNonces {
  if (secret.length < 32) throw new RangeError('the DPoP nonce secret needs at least 32 bytes')
  const slotSeconds = options.slotSeconds ?? 300
  const key = crypto.subtle.importKey(
    'raw',
    new Uint8Array(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  )
  const label = (slot: number) => new TextEncoder().encode(`dpop-nonce:${slot}`)
  return {
    async issueDpopNonce(now) {
      const slot = Math.floor(now / slotSeconds)
      const mac = await crypto.subtle.sign('HMAC', await key, label(slot))
      return `${slot.toString(36)}.${base64url.encode(new Uint8Array(mac))}`
    },
    async checkDpopNonce(value, now) {
      const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value)
      if (match === null || match[1] === undefined || match[2] === undefined) return false
      const slot = Number.parseInt(match[1], 36)
      const current = Math.floor(now / slotSeconds)
      if (slot !== current && slot !== current - 1) return false
      let mac: Uint8Array
      try {
        mac = base64url.decode(match[2])
      } catch {
        return false
      }
      // WebCrypto's HMAC verify compares in constant time.
      return crypto.subtle.verify('HMAC', await key, new Uint8Array(mac), label(slot))
    },
  }
}
