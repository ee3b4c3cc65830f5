/** Shared by the launcher tests: temporary folders, a child-process CLI runner, file digests. */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

const here = import.meta.dirname
const tsx = join(here, '..', '..', '..', 'node_modules', '.bin', 'tsx')

export function tempDir(prefix = 'launcher-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Starts the CLI from source; the caller reads its output and decides when it ends. */
export function spawnCli(
  command: 'start' | 'seed',
  args: readonly string[],
  cwd: string,
): ChildProcess {
  return spawn(tsx, [join(here, 'fixtures', 'run-cli.ts'), command, ...args], {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI to completion (for commands that exit by themselves). */
export function runCli(
  command: 'start' | 'seed',
  args: readonly string[],
  cwd: string,
): Promise<CliResult> {
  const child = spawnCli(command, args, cwd)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** sha256 of every file under `dir`, by relative path: proves a folder was left untouched. */
export function digestTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (current: string, prefix: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name)
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`)
      else out[`${prefix}${name}`] = createHash('sha256').update(readFileSync(path)).digest('hex')
    }
  }
  walk(dir, '')
  return out
}
