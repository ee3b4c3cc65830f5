/**
 * A bank's signing keys as the rest of bank-op uses them: the key to sign with per algorithm
 * (FAPI 2.0 SP 5.4.1-1) and the public JWK Set to publish at `jwks_uri` (RFC 8414 section 2,
 * RFC 7517 section 5).
 */
import { type CryptoKey, exportJWK, generateKeyPair, importJWK } from 'jose'
import type { Clock } from '../clock.js'
import { readKeyFile, writeKeyFile } from './key-file.js'
import {
  type BankSigningAlg,
  completeRing,
  DEFAULT_SIGNING_ALG,
  type KeyGenerator,
  type PublicKeyMembers,
  publicPart,
  publishedKeys,
  type RingKey,
  rotateRing,
} from './key-ring.js'

/** A key ready to sign with: its `kid` goes into the JWS header. */
export interface SigningKey {
  kid: string
  alg: BankSigningAlg
  privateKey: CryptoKey
}

/** A published public key: never `d`, `p`, `q`, `dp`, `dq`, `qi` or `k` (RFC 7517 section 9.1). */
export type PublicSigningJwk = PublicKeyMembers & { kid: string; alg: BankSigningAlg; use: 'sig' }

export interface BankKeys {
  /** The current key for `alg` (ES256 unless asked otherwise). */
  signingKey(alg?: BankSigningAlg): SigningKey
  /** Current, next and recently retired public keys, for `jwks_uri`. */
  publicJwks(): { keys: PublicSigningJwk[] }
}

/** Bank keys that the console (and tests) can also rotate. */
export interface RotatableBankKeys extends BankKeys {
  /** Next becomes current, current is retired (still published for the grace period), new next. */
  rotate(): Promise<void>
}

/** One day: longer than any token, ID token or JARM response a retired key may have signed. */
export const DEFAULT_RETIRED_KEY_GRACE_SECONDS = 24 * 60 * 60

export interface OpenBankKeysOptions {
  keysDir: string
  bankId: string
  now: Clock
  generate?: KeyGenerator | undefined
  retiredGraceSeconds?: number | undefined
}

/** jose's generator: P-256 for ES256, 2048-bit RSA for PS256 (FAPI 2.0 SP 5.4.1-2, -3). */
export const generateSigningJwk: KeyGenerator = async (alg) => {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 })
  return exportJWK(privateKey)
}

interface Loaded {
  keys: readonly RingKey[]
  signing: ReadonlyMap<BankSigningAlg, SigningKey>
}

async function load(keys: readonly RingKey[]): Promise<Loaded> {
  const signing = new Map<BankSigningAlg, SigningKey>()
  for (const key of keys) {
    if (key.status !== 'current') continue
    const privateKey = await importJWK(key.jwk, key.alg)
    if (privateKey instanceof Uint8Array) throw new TypeError(`${key.alg} key is not asymmetric`)
    signing.set(key.alg, { kid: key.jwk.kid, alg: key.alg, privateKey })
  }
  return { keys, signing }
}

/**
 * Opens a bank's keys: reads `<keysDir>/<bankId>.json`, creates what is missing (all of it on the
 * first start), prunes retired keys past their grace, and writes the file back only if it changed.
 * @throws KeyFileError when the file exists but cannot be trusted
 */
export async function openBankKeys(options: OpenBankKeysOptions): Promise<RotatableBankKeys> {
  const { keysDir, bankId, now } = options
  const generate = options.generate ?? generateSigningJwk
  const grace = options.retiredGraceSeconds ?? DEFAULT_RETIRED_KEY_GRACE_SECONDS
  const stored = await readKeyFile(keysDir, bankId)
  const complete = await completeRing(stored, generate, now(), grace)
  if (complete !== stored) await writeKeyFile(keysDir, bankId, complete)
  let state = await load(complete)
  let rotation: Promise<void> = Promise.resolve()
  // The published set changes at a rotation and when a retired key's grace ends; between those
  // instants every caller gets the same frozen object, so verifiers keep their imported keys.
  let published: { jwks: { keys: PublicSigningJwk[] }; from: number; until: number } | undefined

  return {
    signingKey(alg = DEFAULT_SIGNING_ALG) {
      const key = state.signing.get(alg)
      if (!key) throw new Error(`bank ${bankId} has no current ${alg} key`)
      return key
    },
    publicJwks() {
      const at = now()
      const time = at.getTime()
      if (published !== undefined && published.from <= time && time < published.until) {
        return published.jwks
      }
      const ring = publishedKeys(state.keys, at, grace)
      const keys = ring.map(
        (key): PublicSigningJwk =>
          Object.freeze({ ...publicPart(key.jwk), kid: key.jwk.kid, alg: key.alg, use: 'sig' }),
      )
      const graceEnds = ring.map((key) => Date.parse(key.retiredAt ?? '') + grace * 1000)
      published = {
        jwks: Object.freeze({ keys: Object.freeze(keys) as PublicSigningJwk[] }),
        from: time,
        until: Math.min(...graceEnds.filter(Number.isFinite)),
      }
      return published.jwks
    },
    rotate() {
      // One rotation at a time: two overlapping ones would both retire the same current key.
      const run = rotation.then(async () => {
        const rotated = await rotateRing(state.keys, generate, now(), grace)
        // Persist first: a crash after this point restarts with the rotated ring.
        await writeKeyFile(keysDir, bankId, rotated)
        state = await load(rotated)
        published = undefined
      })
      rotation = run.catch(() => undefined)
      return run
    },
  }
}
