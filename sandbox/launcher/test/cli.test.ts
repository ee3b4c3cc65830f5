import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { openDatabase } from '@sandbox/store/database'
import { describe, expect, test } from 'vitest'
import { digestTree, runCli, spawnCli, tempDir } from './helpers.js'

/** Resolves with everything the child printed once `marker` appears on stdout. */
function waitForOutput(child: ChildProcess, marker: string, timeoutMs = 60_000): Promise<string> {
  let stdout = ''
  let stderr = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no '${marker}' within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    )
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.includes(marker)) {
        clearTimeout(timer)
        resolve(stdout)
      }
    })
    child.on('close', (code) =>
      reject(new Error(`exited with ${code} before '${marker}': ${stderr}`)),
    )
  })
}

/** A base port whose whole block (base+1 … base+9) is free right now. */
async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000)
    const probes = await Promise.all(
      Array.from({ length: 9 }, (_, i) => {
        const server = createServer()
        return new Promise<ReturnType<typeof createServer> | undefined>((resolve) => {
          server.once('error', () => resolve(undefined))
          server.listen(base + i + 1, '127.0.0.1', () => resolve(server))
        })
      }),
    )
    await Promise.all(
      probes.map(
        (server) => new Promise((resolve) => (server ? server.close(resolve) : resolve(null))),
      ),
    )
    if (probes.every(Boolean)) return base
  }
  throw new Error('no free port block found')
}

describe('npm start and npm run seed, as a user runs them', () => {
  test.each([
    [['--bogus'], "error: Unknown option '--bogus' (see --help)"],
    [['--customers=-3'], 'error: --customers must be between 1 and 10000000, got -3'],
    [['--base-port', 'x'], "error: --base-port must be a whole number, got 'x'"],
  ])('start %j exits 2 with one line, touching nothing', async (args, line) => {
    const cwd = tempDir()
    const result = await runCli('start', args, cwd)
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(`${line}\n`)
    expect(result.stdout).toBe('')
    expect(digestTree(cwd)).toEqual({})
  })

  test('seed rejects a flag that only start has', async () => {
    const result = await runCli('seed', ['--base-port', '9000'], tempDir())
    expect(result.code).toBe(2)
    expect(result.stderr).toBe("error: Unknown option '--base-port' (see --help)\n")
  })

  test('bad options on a seeded folder leave its data byte-for-byte untouched', async () => {
    const cwd = tempDir()
    const seeded = await runCli('seed', ['--data-dir', 'data'], cwd)
    expect(seeded.code, seeded.stderr).toBe(0)
    const before = digestTree(join(cwd, 'data'))
    expect(Object.keys(before).some((path) => path.endsWith('.sqlite'))).toBe(true)
    for (const args of [
      ['--reset', '--customers', '0'],
      ['--reset', '--as-of', 'yesterday'],
      ['--nope'],
    ]) {
      const result = await runCli('start', ['--data-dir', 'data', ...args], cwd)
      expect(result.code).toBe(2)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
    }
    expect(digestTree(join(cwd, 'data'))).toEqual(before)
  }, 120_000)

  test('a bank file whose schema this code no longer has is one line and exit 1', async () => {
    const cwd = tempDir()
    expect((await runCli('seed', ['--data-dir', 'data'], cwd)).code).toBe(0)
    const file = join(cwd, 'data', 'banks', 'aurora.sqlite')
    const db = await openDatabase(file)
    await db.run("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
    await db.close()
    const result = await runCli('start', ['--data-dir', 'data', '--base-port', '1024'], cwd)
    expect(result.code).toBe(1)
    // Progress lines (certificates written) may come first; the failure itself is one line.
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      `error: ${file} applied migration 1 ('initial schema') in a form this code no longer has; reseed (npm start -- --reset)`,
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
  }, 120_000)

  test('a damaged bank key file is one line naming the file and exit 1', async () => {
    const cwd = tempDir()
    expect((await runCli('seed', ['--data-dir', 'data'], cwd)).code).toBe(0)
    const { mkdirSync, writeFileSync } = await import('node:fs')
    mkdirSync(join(cwd, 'data', 'keys'))
    const file = join(cwd, 'data', 'keys', 'aurora.json')
    writeFileSync(file, '{ not json')
    const result = await runCli('start', ['--data-dir', 'data', '--base-port', '1024'], cwd)
    expect(result.code).toBe(1)
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      `error: key file ${file}: not JSON; delete it to make new keys`,
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
  }, 120_000)

  test('an unwritable data folder is one line and exit 1', async () => {
    const cwd = tempDir()
    const { writeFileSync } = await import('node:fs')
    writeFileSync(join(cwd, 'file'), '')
    const result = await runCli('seed', ['--data-dir', 'file/data'], cwd)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `error: data folder ${join(cwd, 'file/data')} is not writable (ENOTDIR); choose another with --data-dir <path>\n`,
    )
  })

  test('start prints the table; Ctrl-C stops cleanly and leaves every database consistent', async () => {
    const cwd = tempDir()
    const basePort = await freeBasePort()
    const child = spawnCli(
      'start',
      ['--data-dir', 'data', '--base-port', String(basePort), '--host', '127.0.0.1'],
      cwd,
    )
    const printed = await waitForOutput(child, 'Press Ctrl-C to stop.')
    expect(printed).toContain(`https://127.0.0.1:${basePort + 1}/health`)
    expect(printed).toContain('Test users')
    expect(printed).toContain(join(cwd, 'data', 'pki', 'ca.pem'))

    const stderr: string[] = []
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve))
    child.kill('SIGINT')
    expect(await exit).toBe(0)
    expect(stderr.join('')).toContain('stopped cleanly')

    const banks = Object.keys(digestTree(join(cwd, 'data', 'banks')))
    // A clean close checkpoints the write-ahead log into the main file.
    expect(banks.filter((name) => name.endsWith('-wal') || name.endsWith('-shm'))).toEqual([])
    for (const name of banks) {
      const db = await openDatabase(join(cwd, 'data', 'banks', name), { readonly: true })
      try {
        expect(await db.get<{ integrity_check: string }>('PRAGMA integrity_check')).toEqual({
          integrity_check: 'ok',
        })
      } finally {
        await db.close()
      }
    }
  }, 120_000)
})
