/**
 * An exclusive lock on the PKI folder across processes, so two services or test workers starting
 * together do not each make a CA and leave certificates chained to the one that lost the race.
 */
import { open, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export const LOCK_FILE = '.lock'
const POLL_MS = 25
const WAIT_MS = 15_000
/** A lock file with no readable owner (a crash between create and write) is stale after this. */
const ORPHAN_MS = 5_000

const errorCode = (error: unknown): unknown =>
  error instanceof Error && 'code' in error ? error.code : undefined

/**
 * Takes `<dir>/.lock`, created exclusively with this process id, waiting while another live
 * process holds it and taking it over from a process that is gone. Returns the release function.
 *
 * @throws the file system error when the lock file cannot be created, or an Error when another
 * process holds it for 15 seconds.
 */
export async function acquireFolderLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE)
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600)
      try {
        await handle.writeFile(String(process.pid))
      } finally {
        await handle.close()
      }
      return () => rm(path, { force: true })
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error
    }
    const owner = await lockOwner(path)
    if (owner === 'stale') {
      await rm(path, { force: true })
      continue
    }
    if (Date.now() > deadline) {
      throw new Error(`held by process ${owner} for over ${WAIT_MS / 1000} s`)
    }
    await sleep(POLL_MS)
  }
}

async function lockOwner(path: string): Promise<number | 'stale' | 'unknown'> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    return errorCode(error) === 'ENOENT' ? 'stale' : 'unknown'
  }
  const pid = Number.parseInt(text, 10)
  if (!Number.isInteger(pid) || pid <= 0) {
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => Number.POSITIVE_INFINITY,
    )
    return age > ORPHAN_MS ? 'stale' : 'unknown'
  }
  try {
    process.kill(pid, 0)
    return pid
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === 'EPERM' ? pid : 'stale'
  }
}
