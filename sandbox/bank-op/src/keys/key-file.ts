/**
 * Where private signing keys live: `<keysDir>/<owner>.json` (a bank's ring, or the demo fintech's
 * client key the launcher keeps), mode 0600, replaced atomically (write a sibling file, then
 * rename), never committed (FAPI 2.0 SP 5.4.2 keeps private keys private; the data folder is in
 * .gitignore).
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { JWK } from 'jose'
import {
  BANK_SIGNING_ALGS,
  type BankSigningAlg,
  KEY_STATUSES,
  type KeyStatus,
  type RingKey,
  thumbprintOf,
} from './key-ring.js'

const FORMAT_VERSION = 1

interface KeyFileContent {
  version: typeof FORMAT_VERSION
  /** The owner: a bank id, or a client id such as `demo-fintech`. */
  bank: string
  keys: readonly RingKey[]
}

/** The file holding the keys of `owner` (a bank id, or a client id such as `demo-fintech`). */
export function keyFilePath(keysDir: string, owner: string): string {
  return join(keysDir, `${owner}.json`)
}

/** A key file that cannot be used; the message names the file and what is wrong with it. */
export class KeyFileError extends Error {
  constructor(file: string, problem: string) {
    super(`key file ${file}: ${problem}; delete it to make new keys`)
    this.name = 'KeyFileError'
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

async function parseKey(file: string, value: unknown, index: number): Promise<RingKey> {
  const where = `keys[${index}]`
  if (!isRecord(value) || !isRecord(value.jwk))
    throw new KeyFileError(file, `${where} is malformed`)
  const { alg, status, createdAt, retiredAt, jwk } = value
  if (!BANK_SIGNING_ALGS.includes(alg as BankSigningAlg))
    throw new KeyFileError(file, `${where}.alg must be one of ${BANK_SIGNING_ALGS.join(', ')}`)
  if (!KEY_STATUSES.includes(status as KeyStatus))
    throw new KeyFileError(file, `${where}.status must be one of ${KEY_STATUSES.join(', ')}`)
  if (typeof createdAt !== 'string') throw new KeyFileError(file, `${where}.createdAt is missing`)
  if (status === 'retired' && typeof retiredAt !== 'string')
    throw new KeyFileError(file, `${where} is retired without retiredAt`)
  if (typeof jwk.d !== 'string') throw new KeyFileError(file, `${where}.jwk is not a private key`)
  // RFC 7638: the kid is the thumbprint; a mismatch means the file was edited by hand.
  let thumbprint: string
  try {
    thumbprint = await thumbprintOf(jwk as JWK)
  } catch (error) {
    throw new KeyFileError(file, `${where}.jwk: ${(error as Error).message}`)
  }
  if (jwk.kid !== thumbprint)
    throw new KeyFileError(file, `${where}.jwk.kid is not the key's RFC 7638 thumbprint`)
  return {
    alg: alg as BankSigningAlg,
    status: status as KeyStatus,
    createdAt,
    ...(typeof retiredAt === 'string' ? { retiredAt } : {}),
    jwk: { ...(jwk as JWK), kid: thumbprint, alg: alg as BankSigningAlg, use: 'sig' },
  }
}

/** Reads the keys of `owner`; an absent file is an empty ring (first start). */
export async function readKeyFile(keysDir: string, owner: string): Promise<RingKey[]> {
  const file = keyFilePath(keysDir, owner)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  let content: unknown
  try {
    content = JSON.parse(text)
  } catch {
    throw new KeyFileError(file, 'not JSON')
  }
  if (!isRecord(content) || content.version !== FORMAT_VERSION || !Array.isArray(content.keys))
    throw new KeyFileError(file, `not a version ${FORMAT_VERSION} key file`)
  if (content.bank !== owner)
    throw new KeyFileError(file, `keys of ${String(content.bank)}, not of ${owner}`)
  return Promise.all(content.keys.map((key, index) => parseKey(file, key, index)))
}

/**
 * Replaces the key file of `owner` atomically: readers see the old file or the new one, never
 * half of either. The folder is 0700 and the file 0600 because it holds private keys.
 */
export async function writeKeyFile(
  keysDir: string,
  owner: string,
  keys: readonly RingKey[],
): Promise<void> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 })
  const file = keyFilePath(keysDir, owner)
  const temporary = `${file}.${process.pid}.tmp`
  const content: KeyFileContent = { version: FORMAT_VERSION, bank: owner, keys }
  await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 })
  // writeFile's mode applies only when it creates the file; a stale temporary keeps its own.
  await chmod(temporary, 0o600)
  await rename(temporary, file)
}
