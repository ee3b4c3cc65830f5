/** Credentials the server mints: codes, request URIs, tokens, ids (FAPI 2.0 SP 5.4.1-4: at least 128 bits). */
import { base64url } from 'jose'

/** Fills `length` random bytes; tests inject a seeded source (DESIGN principle 2). */
export type RandomBytes = (length: number) => Uint8Array

export const systemRandomBytes: RandomBytes = (length) =>
  crypto.getRandomValues(new Uint8Array(length))

/** 256 random bits as 43 base64url characters: twice the floor of SP 5.4.1-4. */
export function randomToken(random: RandomBytes): string {
  return base64url.encode(random(32))
}

/** base64url SHA-256 of a credential: how refresh and registration tokens are stored. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return base64url.encode(new Uint8Array(digest))
}
