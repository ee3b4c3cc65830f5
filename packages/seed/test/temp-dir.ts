/** Temporary data folders for seed tests. */
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function temporaryDirectory(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-seed-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Every file under `dir` with a hash of its bytes, for "left byte-for-byte untouched" checks. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry)
      if (statSync(path).isDirectory()) walk(path, `${prefix}${entry}/`)
      else out[`${prefix}${entry}`] = createHash('sha256').update(readFileSync(path)).digest('hex')
    }
  }
  walk(dir, '')
  return out
}
