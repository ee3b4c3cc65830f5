import { execFile } from 'node:child_process'
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { chmod, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { certificateThumbprint } from '../src/certificate-thumbprint.js'
import { issueClientCertificate } from '../src/client-certificate.js'
import { LOCK_FILE } from '../src/folder-lock.js'
import {
  ensureSandboxPki,
  PKI_FILES,
  readSandboxCertificateAuthority,
  type SandboxPki,
} from '../src/sandbox-pki.js'
import { tempDir } from './temp-dir.js'

const DAY_MS = 24 * 60 * 60 * 1000
const START = new Date('2030-03-01T09:00:00Z')
const at = (days: number) => () => new Date(START.getTime() + days * DAY_MS)

const fingerprints = (pki: SandboxPki) => ({
  ca: certificateThumbprint(pki.ca.certPem),
  server: certificateThumbprint(pki.server.certPem),
  fintech: certificateThumbprint(pki.clients.fintech.certPem),
})

const chainsTo = (certPem: string, caPem: string) => {
  const cert = new X509Certificate(certPem)
  const ca = new X509Certificate(caPem)
  return cert.checkIssued(ca) && cert.verify(ca.publicKey)
}

// Root writes anywhere, so the read-only case runs in a child process as nobody (uid 65534).
const NON_ROOT = process.getuid?.() === 0 ? 65534 : undefined
const sandboxPkiSource = fileURLToPath(new URL('../src/sandbox-pki.ts', import.meta.url))
const tsxCli = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url))

/** Runs ensureSandboxPki(dir), as `uid` when given, and returns the error message. */
async function ensureAs(uid: number | undefined, dir: string): Promise<string | undefined> {
  if (uid === undefined) {
    return ensureSandboxPki(dir).then(
      () => undefined,
      (error: Error) => error.message,
    )
  }
  const script = `import { ensureSandboxPki } from ${JSON.stringify(sandboxPkiSource)}
ensureSandboxPki(${JSON.stringify(dir)}).then(() => process.stdout.write('ok'), (e) => process.stdout.write(e.message))`
  const { stdout } = await promisify(execFile)(process.execPath, [tsxCli, '-e', script], {
    uid,
    gid: uid,
    cwd: '/',
    env: { PATH: process.env.PATH ?? '', HOME: '/tmp' },
  })
  return stdout === 'ok' ? undefined : stdout
}

const mode = async (path: string) => (await stat(path)).mode & 0o777

describe('ensureSandboxPki', () => {
  it('creates the folder, the CA, the server and the fintech certificates on first start', async () => {
    const dir = join(await tempDir(), 'nested', 'pki')
    const pki = await ensureSandboxPki(dir, { now: at(0) })
    expect(pki.created).toBe(true)
    expect(pki.dir).toBe(dir)
    expect(pki.ca.certPath).toBe(join(dir, 'ca.pem'))
    expect(pki.server).toMatchObject({
      certPath: join(dir, 'server.pem'),
      keyPath: join(dir, 'server-key.pem'),
    })
    expect(pki.clients.fintech).toMatchObject({
      certPath: join(dir, 'fintech.pem'),
      keyPath: join(dir, 'fintech-key.pem'),
    })
    expect((await readdir(dir)).sort()).toEqual([
      'ca-key.pem',
      'ca.pem',
      'fintech-key.pem',
      'fintech.pem',
      'server-key.pem',
      'server.pem',
    ])
    expect(await readFile(pki.server.certPath, 'utf8')).toBe(pki.server.certPem)
    expect(await readFile(pki.clients.fintech.keyPath, 'utf8')).toBe(pki.clients.fintech.keyPem)
    expect(chainsTo(pki.server.certPem, pki.ca.certPem)).toBe(true)
    expect(chainsTo(pki.clients.fintech.certPem, pki.ca.certPem)).toBe(true)
    expect(pki).not.toHaveProperty('ca.keyPem')
  })

  it('writes private keys 0600 in a 0700 folder, certificates 0644', async () => {
    const dir = join(await tempDir(), 'pki')
    const pki = await ensureSandboxPki(dir)
    expect(await mode(dir)).toBe(0o700)
    for (const key of ['ca-key.pem', 'server-key.pem', 'fintech-key.pem']) {
      expect(await mode(join(dir, key))).toBe(0o600)
    }
    expect(await mode(pki.ca.certPath)).toBe(0o644 & ~process.umask())
  })

  it('reuses valid files on the next start (created=false, same certificates)', async () => {
    const dir = await tempDir()
    const first = await ensureSandboxPki(dir, { now: at(0) })
    const second = await ensureSandboxPki(dir, { now: at(100) })
    expect(second.created).toBe(false)
    expect(fingerprints(second)).toEqual(fingerprints(first))
    expect(second.server.keyPem).toBe(first.server.keyPem)
  })

  it('re-issues a deleted server certificate from the same CA', async () => {
    const dir = await tempDir()
    const first = await ensureSandboxPki(dir, { now: at(0) })
    await rm(first.server.certPath)
    const second = await ensureSandboxPki(dir, { now: at(1) })
    expect(second.created).toBe(true)
    const before = fingerprints(first)
    const after = fingerprints(second)
    expect(after.ca).toBe(before.ca)
    expect(after.fintech).toBe(before.fintech)
    expect(after.server).not.toBe(before.server)
    expect(second.server.keyPem).not.toBe(first.server.keyPem)
    expect(chainsTo(second.server.certPem, first.ca.certPem)).toBe(true)
  })

  it('re-issues leaf certificates that expire within 30 days, keeping the CA', async () => {
    const dir = await tempDir()
    const first = await ensureSandboxPki(dir, { now: at(0) })
    // 397-day leaves: on day 370 fewer than 30 days remain; the ten-year CA is fine.
    const later = await ensureSandboxPki(dir, { now: at(370) })
    expect(later.created).toBe(true)
    expect(fingerprints(later).ca).toBe(fingerprints(first).ca)
    expect(fingerprints(later).server).not.toBe(fingerprints(first).server)
    expect(fingerprints(later).fintech).not.toBe(fingerprints(first).fintech)
    const notBefore = new Date(new X509Certificate(later.server.certPem).validFrom)
    expect(notBefore.getTime()).toBeGreaterThan(at(369)().getTime())
  })

  it('regenerates everything when the CA itself is about to expire', async () => {
    const dir = await tempDir()
    const first = await ensureSandboxPki(dir, { now: at(0) })
    const later = await ensureSandboxPki(dir, { now: at(3640) })
    expect(later.created).toBe(true)
    const before = fingerprints(first)
    const after = fingerprints(later)
    expect(after.ca).not.toBe(before.ca)
    expect(after.server).not.toBe(before.server)
    expect(chainsTo(later.server.certPem, later.ca.certPem)).toBe(true)
    expect(chainsTo(later.clients.fintech.certPem, later.ca.certPem)).toBe(true)
  })

  it('re-issues the server certificate when asked for a host name it lacks', async () => {
    const dir = await tempDir()
    const first = await ensureSandboxPki(dir, { now: at(0) })
    const wider = await ensureSandboxPki(dir, { now: at(0), hostnames: ['bank.localhost'] })
    expect(wider.created).toBe(true)
    expect(fingerprints(wider).ca).toBe(fingerprints(first).ca)
    expect(fingerprints(wider).fintech).toBe(fingerprints(first).fintech)
    expect(new X509Certificate(wider.server.certPem).checkHost('bank.localhost')).toBe(
      'bank.localhost',
    )
    const again = await ensureSandboxPki(dir, { now: at(1), hostnames: ['BANK.localhost'] })
    expect(again.created).toBe(false)
    expect(fingerprints(again)).toEqual(fingerprints(wider))
    // A smaller set is still covered.
    expect((await ensureSandboxPki(dir, { now: at(1) })).created).toBe(false)
  })

  it('re-issues a certificate whose key no longer matches it', async () => {
    const dir = await tempDir()
    const first = await ensureSandboxPki(dir, { now: at(0) })
    await writeFile(first.server.keyPath, first.clients.fintech.keyPem, { mode: 0o600 })
    const second = await ensureSandboxPki(dir, { now: at(0) })
    expect(second.created).toBe(true)
    expect(fingerprints(second).server).not.toBe(fingerprints(first).server)
    expect(
      new X509Certificate(second.server.certPem).checkPrivateKey(
        createPrivateKey(second.server.keyPem),
      ),
    ).toBe(true)
    expect(fingerprints(second).ca).toBe(fingerprints(first).ca)
  })

  it('regenerates the CA and re-issues its leaves when the CA key is unreadable PEM', async () => {
    const dir = await tempDir()
    const first = await ensureSandboxPki(dir, { now: at(0) })
    await writeFile(join(dir, PKI_FILES.ca.key), '-----BEGIN PRIVATE KEY-----\ngarbage\n')
    const second = await ensureSandboxPki(dir, { now: at(0) })
    expect(second.created).toBe(true)
    expect(fingerprints(second).ca).not.toBe(fingerprints(first).ca)
    expect(chainsTo(second.server.certPem, second.ca.certPem)).toBe(true)
    expect(chainsTo(second.clients.fintech.certPem, second.ca.certPem)).toBe(true)
  })

  it('re-issues a leaf signed by another CA (a CA swapped on disk)', async () => {
    const dir = await tempDir()
    const first = await ensureSandboxPki(dir, { now: at(0) })
    const other = await ensureSandboxPki(await tempDir(), { now: at(0) })
    await writeFile(first.server.certPath, other.server.certPem)
    await writeFile(first.server.keyPath, other.server.keyPem)
    const second = await ensureSandboxPki(dir, { now: at(0) })
    expect(second.created).toBe(true)
    expect(chainsTo(second.server.certPem, first.ca.certPem)).toBe(true)
  })

  it('takes group and other access off a key file that has it', async () => {
    const dir = await tempDir()
    const first = await ensureSandboxPki(dir, { now: at(0) })
    await chmod(first.server.keyPath, 0o644)
    await ensureSandboxPki(dir, { now: at(0) })
    expect(await mode(first.server.keyPath)).toBe(0o600)
  })

  it('leaves no temporary files behind', async () => {
    const dir = await tempDir()
    const first = await ensureSandboxPki(dir, { now: at(0) })
    await rm(first.server.certPath)
    await ensureSandboxPki(dir, { now: at(0) })
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('rejects with the folder named when the folder cannot be created', async () => {
    const parent = await tempDir()
    const file = join(parent, 'not-a-folder')
    await writeFile(file, 'x')
    const dir = join(file, 'pki')
    await expect(ensureSandboxPki(dir)).rejects.toThrow(
      `cannot create the sandbox PKI folder ${dir}: a path component is not a folder (ENOTDIR)`,
    )
  })

  it('rejects with the folder named when the folder is read-only', async () => {
    const dir = await tempDir()
    await chmod(dir, 0o555)
    try {
      const message = await ensureAs(NON_ROOT, dir)
      expect(message).toBe(
        `cannot create .lock in the sandbox PKI folder ${dir}: permission denied (EACCES)`,
      )
    } finally {
      await chmod(dir, 0o700)
    }
  })

  it('gives concurrent starts on one folder the same CA, the one on disk', async () => {
    const dir = await tempDir()
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureSandboxPki(dir)))
    const onDisk = await readFile(join(dir, PKI_FILES.ca.cert), 'utf8')
    for (const pki of results) {
      expect(pki.ca.certPem).toBe(onDisk)
      expect(chainsTo(pki.server.certPem, onDisk)).toBe(true)
      expect(chainsTo(pki.clients.fintech.certPem, onDisk)).toBe(true)
    }
    expect(results.filter((pki) => pki.created)).toHaveLength(1)
    expect(await readdir(dir)).not.toContain(LOCK_FILE)
  })

  it('takes over a lock left by a process that is gone', async () => {
    const dir = await tempDir()
    const child = await promisify(execFile)(process.execPath, ['-p', 'process.pid'])
    await writeFile(join(dir, LOCK_FILE), child.stdout.trim())
    const pki = await ensureSandboxPki(dir)
    expect(pki.created).toBe(true)
    expect(await readdir(dir)).not.toContain(LOCK_FILE)
  })

  it('reads the CA back to issue more client certificates the services will trust', async () => {
    const dir = await tempDir()
    const pki = await ensureSandboxPki(dir)
    const ca = await readSandboxCertificateAuthority(dir)
    expect(ca.certPem).toBe(pki.ca.certPem)
    const second = await issueClientCertificate(ca, { commonName: 'second-fintech' })
    expect(chainsTo(second.certPem, pki.ca.certPem)).toBe(true)
    await expect(readSandboxCertificateAuthority(await tempDir())).rejects.toThrow(
      'no valid sandbox CA in',
    )
  })
})
