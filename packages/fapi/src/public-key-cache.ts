/**
 * Imported public keys, kept by their key material: verifying many JWTs signed by the same key
 * (a client's assertions, a DPoP key's proofs) imports it once. The cache is keyed by the members
 * that define a public key (RFC 7638 section 3.2's required members) and the algorithm, so two
 * JWK objects with the same key share one entry and a different key can never hit it.
 */
import { importJWK, type JWK } from 'jose'
import type { FapiSigningAlg } from './algorithms.js'

/** Sandbox policy: enough for every client and DPoP key in a busy sandbox; oldest dropped first. */
export const PUBLIC_KEY_CACHE_ENTRIES = 10_000

const cache = new Map<string, Promise<CryptoKey | undefined>>()

/** The members that identify a public key, in a fixed order (RFC 7638 section 3.2). */
function cacheKey(jwk: JWK, alg: FapiSigningAlg): string {
  return JSON.stringify([alg, jwk.kty, jwk.crv, jwk.x, jwk.y, jwk.n, jwk.e])
}

/**
 * Imports a public JWK for `alg`, or returns the key imported before for the same material.
 * Resolves undefined for a symmetric key; rejects as jose's importJWK does for a bad one (the
 * rejection is not cached).
 */
export function importPublicJwk(jwk: JWK, alg: FapiSigningAlg): Promise<CryptoKey | undefined> {
  const key = cacheKey(jwk, alg)
  const cached = cache.get(key)
  if (cached !== undefined) return cached
  const imported = importJWK(jwk, alg).then(
    (value) => (value instanceof Uint8Array ? undefined : value),
    (error: unknown) => {
      cache.delete(key)
      throw error
    },
  )
  if (cache.size >= PUBLIC_KEY_CACHE_ENTRIES) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
  cache.set(key, imported)
  return imported
}
