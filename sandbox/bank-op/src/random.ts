/** Credentials the server mints: codes, request URIs, tokens, ids (FAPI 2.0 SP 5.4.1-4: at least 128 bits). */
import { base64url } from 'jose'

/** Fills `length` random bytes; tests inject a seeded source (DESIGN principle 2). */
export type RandomBytes = (length: number) => Uint8Array

/** Bytes drawn from the system CSPRNG at once and handed out in order, each byte once. */
export const RANDOM_POOL_BYTES = 4096

/**
 * Random bytes from a pool the system CSPRNG refills, so most requests for a few bytes cost a
 * copy, not a call into the CSPRNG (the way node:crypto's randomUUID batches its entropy).
 */
export function createPooledRandomBytes(
  fill: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes),
): RandomBytes {
  let pool: Uint8Array = new Uint8Array(0)
  let offset = 0
  return (length) => {
    if (length > RANDOM_POOL_BYTES) return fill(new Uint8Array(length))
    if (offset + length > pool.length) {
      pool = fill(new Uint8Array(RANDOM_POOL_BYTES))
      offset = 0
    }
    const bytes = pool.slice(offset, offset + length)
    offset += length
    return bytes
  }
}

export const systemRandomBytes: RandomBytes = createPooledRandomBytes()

/** 256 random bits as 43 base64url characters: twice the floor of SP 5.4.1-4. */
export function randomToken(random: RandomBytes): string {
  return base64url.encode(random(32))
}

/** base64url SHA-256 of a credential: how refresh and registration tokens are stored. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return base64url.encode(new Uint8Array(digest))
}
