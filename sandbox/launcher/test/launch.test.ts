import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:tls'
import { createCertificateAuthority } from '@sandbox/pki/certificate-authority'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { LaunchError } from '../src/errors.js'
import { type LaunchOptions, launchSandbox, type RunningSandbox } from '../src/launch.js'
import { BANK_OP_MTLS, portsFor, SERVICES } from '../src/services.js'
import { renderSummary } from '../src/summary.js'
import { getOverTls } from '../src/wait-for-health.js'
import { digestTree, tempDir } from './helpers.js'

function optionsFor(dataDir: string, overrides: Partial<LaunchOptions> = {}): LaunchOptions {
  return {
    dataDir,
    host: '127.0.0.1',
    ports: portsFor(0),
    seed: 42,
    customersPerBank: 50,
    reset: false,
    ...overrides,
  }
}

/** The certificate a TLS server presents, read without trusting anything. */
function peerCertificate(port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false },
      () => {
        const raw = socket.getPeerCertificate().raw
        socket.end()
        resolve(new X509Certificate(raw))
      },
    )
    socket.on('error', reject)
  })
}

describe('a first start on an empty data folder', () => {
  let dataDir: string
  let sandbox: RunningSandbox
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'launch-'))
    sandbox = await launchSandbox(optionsFor(dataDir))
  }, 60_000)
  afterAll(async () => {
    await sandbox?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('starts every service and seeds three banks', () => {
    expect(sandbox.seeded).toBe(true)
    expect(sandbox.services.map((service) => service.name)).toEqual(
      SERVICES.flatMap((s) => s.listeners.map((listener) => listener.name)),
    )
    expect(sandbox.services.map((service) => service.name)).toContain(BANK_OP_MTLS)
    expect(sandbox.banks.length).toBeGreaterThanOrEqual(3)
    const profiles = sandbox.banks.map(({ bank }) => bank.profile.senderConstraint)
    expect(profiles).toContain('dpop')
    expect(profiles).toContain('mtls')
  })

  test('every health endpoint answers 200 over HTTPS trusting only the sandbox CA', async () => {
    for (const service of sandbox.services) {
      const res = await getOverTls(`${service.url}/health`, sandbox.pki.ca.certPem)
      expect(res.status).toBe(200)
      const body = JSON.parse(res.body)
      expect(body).toMatchObject({ service: service.name, status: 'ok' })
      expect(body.checks).toHaveLength(sandbox.banks.length)
    }
  })

  test('the served certificate chains to the sandbox CA and names localhost', async () => {
    const ca = new X509Certificate(sandbox.pki.ca.certPem)
    for (const service of sandbox.services) {
      const served = await peerCertificate(service.port)
      expect(served.checkIssued(ca)).toBe(true)
      expect(served.verify(ca.publicKey)).toBe(true)
      expect(served.checkHost('localhost')).toBe('localhost')
      expect(served.checkIP('127.0.0.1')).toBe('127.0.0.1')
    }
  })

  test('a client that does not trust the sandbox CA is refused', async () => {
    const service = sandbox.services[0]
    if (!service) throw new Error('no service')
    const other = await createCertificateAuthority()
    await expect(getOverTls(`${service.url}/health`, other.certPem)).rejects.toThrow(/certificate/i)
  })

  test('README lists exactly the test users that seed 42 creates', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8')
    const listed = [
      ...readme.matchAll(/^\| `([a-z-]+)` +\| `([^`]+)` +\| `([^`]+)` +\| `(\d{6})` +\|$/gm),
    ].map((match) => match.slice(1).join(' '))
    const seeded = sandbox.banks.flatMap(({ bank, testUsers }) =>
      testUsers.map((user) => [bank.id, user.username, user.password, user.oneTimeCode].join(' ')),
    )
    expect(listed).toEqual(seeded)
  })

  test('each bank publishes discovery over HTTPS with its issuer byte-equal to the fetch prefix', async () => {
    const bankOp = sandbox.services.find((service) => service.name === 'bank-op')
    if (!bankOp) throw new Error('no bank-op')
    for (const { bank } of sandbox.banks) {
      const issuer = `${bankOp.url}/${bank.id}`
      const res = await getOverTls(
        `${issuer}/.well-known/openid-configuration`,
        sandbox.pki.ca.certPem,
      )
      expect(res.status).toBe(200)
      const metadata = JSON.parse(res.body)
      expect(metadata.issuer).toBe(issuer)
      const jwks = await getOverTls(metadata.jwks_uri, sandbox.pki.ca.certPem)
      expect(jwks.status).toBe(200)
      // The private halves stay in the data folder, readable by the owner only.
      expect(statSync(join(dataDir, 'keys', `${bank.id}.json`)).mode & 0o777).toBe(0o600)
    }
  })

  test('the summary lists URLs, banks, issuers, test users and the CA path', () => {
    const text = renderSummary(sandbox)
    for (const service of sandbox.services) expect(text).toContain(`${service.url}/health`)
    const bankOp = sandbox.services.find((service) => service.name === 'bank-op')
    for (const { bank, testUsers } of sandbox.banks) {
      expect(text).toContain(bank.name)
      expect(text).toContain(`${bankOp?.url}/${bank.id}`)
      expect(testUsers.length).toBeGreaterThanOrEqual(3)
      for (const user of testUsers) {
        expect(text).toContain(user.username)
        expect(text).toContain(user.oneTimeCode)
      }
    }
    expect(text).toContain(sandbox.pki.ca.certPath)
    expect(text).toContain('NODE_EXTRA_CA_CERTS')
    expect(text).toContain(sandbox.demoFintech.key.file)
    for (const uri of sandbox.demoFintech.redirectUris) expect(text).toContain(uri)
  })
})

describe('later starts and failures', () => {
  test('a second start reuses the data folder and the certificates', async () => {
    const dataDir = tempDir()
    const first = await launchSandbox(optionsFor(dataDir))
    await first.close()
    const banks = digestTree(join(dataDir, 'banks'))
    const second = await launchSandbox(optionsFor(dataDir))
    try {
      expect(second.seeded).toBe(false)
      expect(second.pki.created).toBe(false)
      expect(second.pki.ca.certPem).toBe(first.pki.ca.certPem)
      expect(second.banks.map(({ bank }) => bank.id)).toEqual(
        first.banks.map(({ bank }) => bank.id),
      )
    } finally {
      await second.close()
    }
    // Opening and closing (WAL checkpoint) must not change any bank's content digest.
    expect(Object.keys(digestTree(join(dataDir, 'banks')))).toEqual(Object.keys(banks))
  }, 60_000)

  test('a busy port fails with one line naming the port and the option, and releases the rest', async () => {
    const dataDir = tempDir()
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const address = blocker.address()
    const busy = typeof address === 'object' && address ? address.port : 0
    try {
      const ports = { ...portsFor(0), 'bank-api': busy }
      const error = await launchSandbox(optionsFor(dataDir, { ports })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LaunchError)
      expect((error as Error).message).toBe(
        `port ${busy} (bank-api) is already in use on 127.0.0.1; choose other ports with --base-port <n>`,
      )
      // Everything opened before the failure was closed: a fresh start on the folder works.
      const again = await launchSandbox(optionsFor(dataDir))
      await again.close()
    } finally {
      blocker.close()
    }
  }, 60_000)

  test('an unwritable data folder fails with one line naming the folder', async () => {
    const parent = tempDir()
    const file = join(parent, 'not-a-folder')
    writeFileSync(file, '')
    const dataDir = join(file, 'data')
    await expect(launchSandbox(optionsFor(dataDir))).rejects.toThrow(
      new LaunchError(
        `data folder ${dataDir} is not writable (ENOTDIR); choose another with --data-dir <path>`,
      ),
    )
  })
})
