/**
 * PEM files on disk (RFC 7468): read if present, written atomically, private keys readable by
 * the owner only.
 */
import { randomBytes } from 'node:crypto'
import { chmod, open, readFile, rename, rm, stat } from 'node:fs/promises'

/** Mode of private key files: owner read and write only. */
export const PRIVATE_KEY_MODE = 0o600
/** Mode of certificate files: public. */
export const CERTIFICATE_MODE = 0o644

const errorCode = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined

/** A one-line description of a file system error, e.g. `permission denied (EACCES)`. */
export function describeFsError(error: unknown): string {
  const code = errorCode(error)
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a path component is not a folder',
    EEXIST: 'a file is in the way',
    ENOSPC: 'no space left on device',
    EISDIR: 'is a folder',
  }
  if (code !== undefined) return `${reasons[code] ?? 'file system error'} (${code})`
  return error instanceof Error ? error.message : String(error)
}

/** Reads a text file, or returns `undefined` when it does not exist. Other errors propagate. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Writes `data` to a temporary file beside `path` with `mode`, flushes it, then renames it over
 * `path`, so a reader (or the next start after a crash) sees the old file or the new one, never a
 * half-written key.
 */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    const handle = await open(temporary, 'wx', mode)
    try {
      await handle.writeFile(data, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/** Takes group and other permissions off an existing key file that has them. */
export async function restrictMode(path: string, mode: number): Promise<void> {
  const current = (await stat(path)).mode & 0o777
  if ((current & ~mode) !== 0) await chmod(path, mode)
}
