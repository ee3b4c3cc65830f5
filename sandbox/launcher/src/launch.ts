/**
 * Starts the whole sandbox in one process: data folder, certificates, seed, every service on its
 * own HTTPS port, health confirmed over TLS against the sandbox CA. Only the launcher listens.
 */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureSandboxPki, type SandboxPki } from '@sandbox/pki/sandbox-pki'
import type { SeedProgress } from '@sandbox/seed/seed-bank'
import { closeServer, type SandboxServer } from '@sandbox/service-kit/server'
import type { BankTenant } from '@sandbox/service-kit/tenant'
import { createTraceBus, type TraceBus } from '@sandbox/service-kit/trace-bus'
import { keysDir, type OpenBank, openSeededBanks, seedIfNeeded } from './data.js'
import { type DemoFintech, registerDemoFintech } from './demo-fintech.js'
import { explainListenError, LaunchError } from './errors.js'
import { reservePorts } from './reserve-ports.js'
import { FINTECH, PORTS, SERVICES, type ServiceContext, type ServicePorts } from './services.js'
import { waitForHealth } from './wait-for-health.js'

export interface LaunchOptions {
  dataDir: string
  host: string
  ports: ServicePorts
  seed: number
  customersPerBank: number
  asOf?: string | undefined
  reset: boolean
  /** How many flows the console keeps (its default when absent). */
  consoleFlows?: number | undefined
  onSeedProgress?: ((progress: SeedProgress) => void) | undefined
  log?: ((line: string) => void) | undefined
}

/** One listening port: a service's main listener or another of its listeners. */
export interface RunningService {
  /** The listener's name in the ports table (`bank-op`, `bank-op-mtls`, `bank-api`). */
  name: string
  title: string
  port: number
  url: string
}

export interface RunningSandbox {
  services: readonly RunningService[]
  banks: readonly OpenBank[]
  pki: SandboxPki
  /** The client every bank has registered for the demo fintech at this start. */
  demoFintech: DemoFintech
  /** True when this start seeded the data folder (first start or --reset). */
  seeded: boolean
  /** The one bus every service emits its trace events to (the console reads it). */
  trace: TraceBus
  /** Each listener's fastify instance by listener name, for tests that `inject` into one. */
  servers: ReadonlyMap<string, SandboxServer>
  /** Stops listening, lets in-flight requests finish, then closes every database. */
  close(): Promise<void>
}

/** Fails early, with the folder named, when the data folder cannot hold databases. */
export function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true })
    const probe = join(dir, `.write-probe-${process.pid}`)
    writeFileSync(probe, '')
    rmSync(probe)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new LaunchError(
      `data folder ${dir} is not writable (${code}); choose another with --data-dir <path>`,
    )
  }
}

function hostForUrl(host: string): string {
  // A wildcard bind is reached through localhost, the name the server certificate carries.
  if (host === '0.0.0.0' || host === '::') return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}

/** Both loopback spellings of an https origin, `localhost` and `127.0.0.1` (the certificate covers both). */
function loopbackOrigins(port: number): string[] {
  return [publicUrl('localhost', port), publicUrl('127.0.0.1', port)]
}

/** The https origin clients use for `port` (issuers are built from it, so one spelling only). */
export function publicUrl(host: string, port: number): string {
  return new URL(`https://${hostForUrl(host)}:${port}`).origin
}

export async function launchSandbox(options: LaunchOptions): Promise<RunningSandbox> {
  const log = options.log ?? (() => undefined)
  ensureWritableDir(options.dataDir)
  const pki = await ensureSandboxPki(join(options.dataDir, 'pki'))
  if (pki.created) log(`certificates written to ${pki.dir}`)

  const seeded = await seedIfNeeded(options, log)
  const banks = await openSeededBanks(options.dataDir)
  const tenants: BankTenant[] = banks.map(({ bank, db }) => ({ bank, db }))
  const tls = { cert: pki.server.certPem, key: pki.server.keyPem }

  const apps: SandboxServer[] = []
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await Promise.allSettled(apps.map((app) => closeServer(app)))
    await Promise.allSettled(banks.map(({ db }) => db.close()))
  }

  try {
    // Issuers are built from bank-op's URL before it listens, so ephemeral ports are chosen first.
    const ports = await reservePorts(
      options.host,
      PORTS.map(({ name }) => name),
      options.ports,
    )
    const portOf = (name: string) => {
      const port = ports[name]
      if (port === undefined) throw new Error(`no port reserved for ${name}`)
      return port
    }
    const url = (name: string) => publicUrl(options.host, portOf(name))
    // Before any bank serves: the registration carries the fintech's port in its redirect URIs.
    const demoFintech = await registerDemoFintech({
      banks,
      keysDir: keysDir(options.dataDir),
      certificatePem: pki.clients.fintech.certPem,
      origins: [url(FINTECH), ...loopbackOrigins(portOf(FINTECH))],
    })
    const services: RunningService[] = []
    const servers = new Map<string, SandboxServer>()
    const context: ServiceContext = {
      tenants,
      tls,
      clientCa: pki.ca.certPem,
      dataDir: options.dataDir,
      url,
      trace: createTraceBus(),
      trustedIssuers: new Map(),
      demoFintech,
      fintechCertificate: pki.clients.fintech,
      consoleFlows: options.consoleFlows,
    }
    for (const service of SERVICES) {
      const built = await service.build(context)
      // Closed on any failure below, whether or not they got to listen.
      for (const app of Object.values(built)) if (app !== undefined) apps.push(app)
      for (const listener of service.listeners) {
        const app = built[listener.name]
        if (app === undefined) throw new Error(`${service.name} built no ${listener.name} listener`)
        const port = portOf(listener.name)
        try {
          await app.listen({ host: options.host, port })
        } catch (error) {
          throw explainListenError(error, listener.name, options.host, port)
        }
        services.push({ name: listener.name, title: listener.title, port, url: url(listener.name) })
        servers.set(listener.name, app)
      }
    }
    // Health is read over real TLS trusting only the sandbox CA: a wrong chain fails here.
    await Promise.all(services.map(({ url }) => waitForHealth(`${url}/health`, pki.ca.certPem)))
    return { services, banks, pki, demoFintech, seeded, trace: context.trace, servers, close }
  } catch (error) {
    await close()
    throw error
  }
}
