/**
 * The sandbox PKI on disk: a CA, the localhost server certificate and the demo fintech's mTLS
 * client certificate (RFC 8705 section 2), made on first start and reused while still valid.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type CertificateAuthority, createCertificateAuthority } from './certificate-authority.js'
import { readCertificateIdentity } from './certificate-identity.js'
import { DEMO_FINTECH_CLIENT, issueClientCertificate } from './client-certificate.js'
import { buildName, formatDistinguishedName } from './distinguished-name.js'
import { acquireFolderLock, LOCK_FILE } from './folder-lock.js'
import { importSigningKey } from './key-pair.js'
import type { IssuedCertificate } from './leaf-certificate.js'
import {
  CERTIFICATE_MODE,
  describeFsError,
  PRIVATE_KEY_MODE,
  readIfExists,
  restrictMode,
  writeFileAtomic,
} from './pem-file.js'
import { issueServerCertificate, serverSubjectAltNames } from './server-certificate.js'
import { outlivesRenewalWindow } from './validity.js'
import { x509 } from './x509.js'

export interface PemPair {
  certPem: string
  keyPem: string
  certPath: string
  keyPath: string
}

export interface SandboxPki {
  /** The absolute folder holding the files. */
  dir: string
  /** The CA certificate (for NODE_EXTRA_CA_CERTS or a `ca` option); its key stays on disk. */
  ca: { certPem: string; certPath: string }
  /** SANs DNS:localhost, IP:127.0.0.1, IP:::1 and the extra host names. */
  server: PemPair
  clients: { fintech: PemPair }
  /** True when this call generated anything. */
  created: boolean
}

export interface EnsurePkiOptions {
  now?: () => Date
  /** Extra DNS names or IP addresses the server certificate must cover. */
  hostnames?: string[]
}

/** The file names in the PKI folder. */
export const PKI_FILES = {
  ca: { cert: 'ca.pem', key: 'ca-key.pem' },
  server: { cert: 'server.pem', key: 'server-key.pem' },
  fintech: { cert: 'fintech.pem', key: 'fintech-key.pem' },
} as const

type FileNames = (typeof PKI_FILES)[keyof typeof PKI_FILES]

interface LoadedPair {
  pem: IssuedCertificate
  certificate: X509Certificate
  key: KeyObject
}

/**
 * Makes sure `dir` holds a valid sandbox CA, server certificate and demo fintech client
 * certificate, and returns them. Files that exist, parse, match their key, chain to the CA on
 * disk, cover the requested host names and stay valid more than 30 days are reused; anything
 * else is generated, leaf certificates from the existing CA whenever it is still good, so a CA
 * already trusted in a browser stays trusted. Concurrent calls on one folder, from this process or
 * others, take turns through a lock file.
 *
 * @throws Error naming the folder when it cannot be created, locked, read or written.
 */
export async function ensureSandboxPki(
  dir: string,
  options: EnsurePkiOptions = {},
): Promise<SandboxPki> {
  const folder = resolve(dir)
  const now = (options.now ?? (() => new Date()))()
  const hostnames = options.hostnames ?? []
  const store = new PkiFolder(folder)
  await store.create()
  const release = await store.guard('create', LOCK_FILE, () => acquireFolderLock(folder))
  try {
    return await ensureIn(store, now, hostnames)
  } finally {
    await release()
  }
}

async function ensureIn(
  store: PkiFolder,
  now: Date,
  hostnames: readonly string[],
): Promise<SandboxPki> {
  let created = false

  let ca = await store.load(PKI_FILES.ca)
  if (ca === undefined || !(await isUsableCa(ca, now))) {
    const pem = await createCertificateAuthority({ now })
    ca = await store.save(PKI_FILES.ca, pem)
    created = true
  }
  const authority: CertificateAuthority = ca.pem

  let server = await store.load(PKI_FILES.server)
  if (server === undefined || !isUsableServer(server, ca.certificate, now, hostnames)) {
    server = await store.save(
      PKI_FILES.server,
      await issueServerCertificate(authority, { hostnames, now }),
    )
    created = true
  }

  let fintech = await store.load(PKI_FILES.fintech)
  if (fintech === undefined || !isUsableFintech(fintech, ca.certificate, now)) {
    fintech = await store.save(
      PKI_FILES.fintech,
      await issueClientCertificate(authority, { ...DEMO_FINTECH_CLIENT, now }),
    )
    created = true
  }

  return {
    dir: store.dir,
    ca: { certPem: ca.pem.certPem, certPath: store.path(PKI_FILES.ca.cert) },
    server: store.pair(PKI_FILES.server, server.pem),
    clients: { fintech: store.pair(PKI_FILES.fintech, fintech.pem) },
    created,
  }
}

/**
 * Reads the sandbox CA with its private key from a PKI folder, to issue more certificates (a
 * second fintech, a wrong certificate for negative tests) from the CA the services trust.
 *
 * @throws Error naming the folder when the CA files are missing, unreadable or do not match.
 */
export async function readSandboxCertificateAuthority(dir: string): Promise<CertificateAuthority> {
  const store = new PkiFolder(resolve(dir))
  const ca = await store.load(PKI_FILES.ca)
  if (ca === undefined) {
    throw new Error(`no valid sandbox CA in ${store.dir}: run ensureSandboxPki first`)
  }
  return ca.pem
}

class PkiFolder {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
  }

  path(name: string): string {
    return join(this.dir, name)
  }

  pair(files: FileNames, pem: IssuedCertificate): PemPair {
    return { ...pem, certPath: this.path(files.cert), keyPath: this.path(files.key) }
  }

  async create(): Promise<void> {
    try {
      // The folder holds private keys: owner only when we create it.
      await mkdir(this.dir, { recursive: true, mode: 0o700 })
    } catch (error) {
      throw new Error(`cannot create the sandbox PKI folder ${this.dir}: ${describeFsError(error)}`)
    }
  }

  /** Reads a pair; `undefined` when either file is missing or they do not parse or match. */
  async load(files: FileNames): Promise<LoadedPair | undefined> {
    const certPem = await this.read(files.cert)
    const keyPem = await this.read(files.key)
    if (certPem === undefined || keyPem === undefined) return undefined
    let loaded: LoadedPair
    try {
      loaded = {
        pem: { certPem, keyPem },
        certificate: new X509Certificate(certPem),
        key: createPrivateKey(keyPem),
      }
      if (!loaded.certificate.checkPrivateKey(loaded.key)) return undefined
    } catch {
      return undefined
    }
    await this.guard('secure', files.key, () =>
      restrictMode(this.path(files.key), PRIVATE_KEY_MODE),
    )
    return loaded
  }

  /** Writes a pair, key first: a crash in between leaves a mismatch that `load` rejects. */
  async save(files: FileNames, pem: IssuedCertificate): Promise<LoadedPair> {
    await this.guard('write', files.key, () =>
      writeFileAtomic(this.path(files.key), pem.keyPem, PRIVATE_KEY_MODE),
    )
    await this.guard('write', files.cert, () =>
      writeFileAtomic(this.path(files.cert), pem.certPem, CERTIFICATE_MODE),
    )
    return { pem, certificate: new X509Certificate(pem.certPem), key: createPrivateKey(pem.keyPem) }
  }

  private read(name: string): Promise<string | undefined> {
    return this.guard('read', name, () => readIfExists(this.path(name)))
  }

  async guard<T>(verb: string, name: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action()
    } catch (error) {
      throw new Error(
        `cannot ${verb} ${name} in the sandbox PKI folder ${this.dir}: ${describeFsError(error)}`,
      )
    }
  }
}

// A CA is kept even when its notBefore is in the future (a clock set back): replacing it would
// break the trust the user gave it. It is replaced when it expires within the renewal window.
async function isUsableCa(ca: LoadedPair, now: Date): Promise<boolean> {
  const { certificate } = ca
  if (!certificate.ca || !certificate.checkIssued(certificate)) return false
  if (!certificate.verify(certificate.publicKey)) return false
  if (!expiresAfterWindow(certificate, now)) return false
  try {
    await importSigningKey(ca.pem.keyPem)
    return true
  } catch {
    return false
  }
}

function isUsableLeaf(leaf: LoadedPair, ca: X509Certificate, now: Date, usage: string): boolean {
  const { certificate } = leaf
  return (
    !certificate.ca &&
    certificate.checkIssued(ca) &&
    certificate.verify(ca.publicKey) &&
    new Date(certificate.validFrom).getTime() <= now.getTime() &&
    expiresAfterWindow(certificate, now) &&
    (certificate.keyUsage ?? []).includes(usage)
  )
}

function isUsableServer(
  server: LoadedPair,
  ca: X509Certificate,
  now: Date,
  hostnames: readonly string[],
): boolean {
  if (!isUsableLeaf(server, ca, now, x509.ExtendedKeyUsage.serverAuth)) return false
  return serverSubjectAltNames(hostnames).every(({ type, value }) =>
    type === 'ip'
      ? server.certificate.checkIP(value) !== undefined
      : server.certificate.checkHost(value) !== undefined,
  )
}

// The bank registers the fintech by subject DN and SANs (RFC 8705 2.1.2): a certificate whose
// names differ from the current profile is re-issued.
function isUsableFintech(fintech: LoadedPair, ca: X509Certificate, now: Date): boolean {
  if (!isUsableLeaf(fintech, ca, now, x509.ExtendedKeyUsage.clientAuth)) return false
  const identity = readCertificateIdentity(fintech.certificate)
  const sameList = (actual: string[], expected: readonly string[]) =>
    actual.length === expected.length && expected.every((name) => actual.includes(name))
  return (
    identity.subjectDn === formatDistinguishedName(buildName(DEMO_FINTECH_CLIENT)) &&
    sameList(identity.dnsNames, DEMO_FINTECH_CLIENT.dnsNames) &&
    sameList(identity.uris, DEMO_FINTECH_CLIENT.uris)
  )
}

function expiresAfterWindow(certificate: X509Certificate, now: Date): boolean {
  return outlivesRenewalWindow(new Date(certificate.validTo), now)
}
