/**
 * A bank's signing key ring (FAPI 2.0 SP 5.4.1: PS256 or ES256 keys; RFC 7517 section 4.5 `kid`s
 * as RFC 7638 thumbprints) and its rotation: a `next` key is published before it signs anything,
 * and a retired key stays published for a grace period so that what it signed still verifies.
 */
import { calculateJwkThumbprint, type JWK } from 'jose'

/** The algorithms a bank signs with (FAPI 2.0 SP 5.4.1-1); ES256 is the default. */
export const BANK_SIGNING_ALGS = ['ES256', 'PS256'] as const
export type BankSigningAlg = (typeof BANK_SIGNING_ALGS)[number]
export const DEFAULT_SIGNING_ALG: BankSigningAlg = 'ES256'

/** `current` signs; `next` is published only; `retired` is published until its grace ends. */
export const KEY_STATUSES = ['current', 'next', 'retired'] as const
export type KeyStatus = (typeof KEY_STATUSES)[number]

export interface RingKey {
  alg: BankSigningAlg
  status: KeyStatus
  /** RFC 3339 instants, for the console and for pruning. */
  createdAt: string
  retiredAt?: string | undefined
  /** The private JWK, with `kid` (its RFC 7638 thumbprint), `alg` and `use: "sig"`. */
  jwk: JWK & { kid: string; alg: BankSigningAlg; use: 'sig' }
}

/** Makes a fresh private JWK for `alg` (the randomness seam: tests may pass their own). */
export type KeyGenerator = (alg: BankSigningAlg) => Promise<JWK>

/** The public members of each key type (RFC 7518 sections 6.2.1, 6.3.1; RFC 8037 section 2). */
const PUBLIC_MEMBERS = {
  EC: ['crv', 'x', 'y'],
  RSA: ['n', 'e'],
  OKP: ['crv', 'x'],
} as const

/** A public key: its type and that type's public members, nothing else. */
export type PublicKeyMembers = { kty: keyof typeof PUBLIC_MEMBERS } & {
  crv?: string
  x?: string
  y?: string
  n?: string
  e?: string
}

function isKnownKeyType(kty: unknown): kty is keyof typeof PUBLIC_MEMBERS {
  return typeof kty === 'string' && Object.hasOwn(PUBLIC_MEMBERS, kty)
}

/** The public part of `jwk`, member by member: private members can never slip through. */
export function publicPart(jwk: JWK): PublicKeyMembers {
  const { kty } = jwk
  if (!isKnownKeyType(kty)) throw new TypeError(`unsupported key type ${String(kty)}`)
  const picked: Record<string, string> = { kty }
  for (const member of PUBLIC_MEMBERS[kty]) {
    const value = (jwk as Record<string, unknown>)[member]
    if (typeof value !== 'string') throw new TypeError(`${jwk.kty} key lacks its ${member} member`)
    picked[member] = value
  }
  return picked as PublicKeyMembers
}

/** RFC 7638 SHA-256 thumbprint of the public key, used as its `kid`. */
export function thumbprintOf(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(publicPart(jwk), 'sha256')
}

/** A freshly generated key for `alg`, its `kid` the RFC 7638 thumbprint, in the key file's form. */
export async function createRingKey(
  alg: BankSigningAlg,
  status: KeyStatus,
  generate: KeyGenerator,
  now: Date,
): Promise<RingKey> {
  const generated = await generate(alg)
  const kid = await thumbprintOf(generated)
  return {
    alg,
    status,
    createdAt: now.toISOString(),
    jwk: { ...generated, kid, alg, use: 'sig' },
  }
}

function isWithinGrace(key: RingKey, now: Date, graceSeconds: number): boolean {
  if (key.status !== 'retired') return true
  const retiredAt = Date.parse(key.retiredAt ?? '')
  return Number.isFinite(retiredAt) && now.getTime() - retiredAt < graceSeconds * 1000
}

/**
 * Gives every algorithm a current and a next key, and drops retired keys past their grace.
 * Returns the same array when nothing changed, so callers know whether to persist.
 */
export async function completeRing(
  keys: readonly RingKey[],
  generate: KeyGenerator,
  now: Date,
  graceSeconds: number,
): Promise<readonly RingKey[]> {
  const kept = keys.filter((key) => isWithinGrace(key, now, graceSeconds))
  const added: RingKey[] = []
  for (const alg of BANK_SIGNING_ALGS) {
    for (const status of ['current', 'next'] as const) {
      if (!kept.some((key) => key.alg === alg && key.status === status)) {
        added.push(await createRingKey(alg, status, generate, now))
      }
    }
  }
  return added.length === 0 && kept.length === keys.length ? keys : [...kept, ...added]
}

/**
 * Rotates every algorithm: `next` becomes `current`, `current` becomes `retired` (still published
 * for `graceSeconds`), and a new `next` is generated and published before it signs anything.
 */
export async function rotateRing(
  keys: readonly RingKey[],
  generate: KeyGenerator,
  now: Date,
  graceSeconds: number,
): Promise<readonly RingKey[]> {
  const rotated = keys.map((key): RingKey => {
    if (key.status === 'current') return { ...key, status: 'retired', retiredAt: now.toISOString() }
    if (key.status === 'next') return { ...key, status: 'current' }
    return key
  })
  return completeRing(rotated, generate, now, graceSeconds)
}

/** Keys a verifier may meet: current, next, and retired ones within their grace period. */
export function publishedKeys(
  keys: readonly RingKey[],
  now: Date,
  graceSeconds: number,
): readonly RingKey[] {
  return keys.filter((key) => isWithinGrace(key, now, graceSeconds))
}
