import { join } from 'node:path'
/** Every service the launcher composes, the ports it listens on and how to build it. */
import { buildBankApi, type TrustedIssuer } from '@sandbox/bank-api/app'
import { buildBankOpService, MTLS_LISTENER_NAME } from '@sandbox/bank-op/app'
import { buildConsole } from '@sandbox/console/app'
import { builtWebRoot as consoleWebRoot } from '@sandbox/console/web-root'
import { buildFintech } from '@sandbox/fintech/app'
import { builtWebRoot } from '@sandbox/fintech/web-root'
import type { SandboxServer, ServiceTls } from '@sandbox/service-kit/server'
import type { BankTenant } from '@sandbox/service-kit/tenant'
import type { TraceBus } from '@sandbox/service-kit/trace-bus'
import { keysDir } from './data.js'
import type { DemoFintech } from './demo-fintech.js'
import { seededProviders } from './fintech-providers.js'

export interface ServiceContext {
  tenants: readonly BankTenant[]
  /** The sandbox server certificate and its key. */
  tls: ServiceTls
  /** The sandbox CA: client certificates presented on a mutual-TLS listener must chain to it. */
  clientCa: string
  /** The data folder (`.data`): bank-op keeps the banks' signing keys in `keys/` under it. */
  dataDir: string
  /** The public https origin of a listener or reserved port (see {@link portsFor}), by name. */
  url(name: string): string
  /** The sandbox's one trace bus (DESIGN principle 6): every service emits to it. */
  trace: TraceBus
  /**
   * Each bank's authorization server as its resource server trusts it, by bank id: filled by
   * bank-op's build (which comes first) with its issuers and published keys, read by bank-api's,
   * as a resource server would read the AS metadata and `jwks_uri`.
   */
  trustedIssuers: Map<string, TrustedIssuer>
  /** The client every bank registered for the demo fintech, and its mutual-TLS certificate. */
  demoFintech: DemoFintech
  fintechCertificate: { certPem: string; keyPem: string }
  /** How many flows the console keeps. */
  consoleFlows?: number | undefined
}

/** One port the sandbox uses. */
export interface PortDefinition {
  /** Its key in the ports table and its row in the start-up table. */
  name: string
  /** What is reached there, for the start-up table. */
  title: string
  /** Port = base port + offset, so one option moves the whole sandbox. */
  portOffset: number
}

export interface ServiceDefinition {
  name: string
  /** The ports it listens on, its main one first. */
  listeners: readonly PortDefinition[]
  /** Builds the service without listening: one fastify instance per listener, by listener name. */
  build(context: ServiceContext): Promise<Readonly<Record<string, SandboxServer | undefined>>>
}

/** bank-op's mutual-TLS listener, serving the `mtls_endpoint_aliases` (RFC 8705 section 5). */
export const BANK_OP_MTLS = MTLS_LISTENER_NAME

/** The demo fintech's listener: its redirect URIs name it, so the port is known before it runs. */
export const FINTECH = 'fintech'

/** The console's listener. */
export const CONSOLE = 'console'

export const SERVICES: readonly ServiceDefinition[] = [
  {
    name: 'bank-op',
    listeners: [
      { name: 'bank-op', title: 'bank authorization servers', portOffset: 1 },
      { name: BANK_OP_MTLS, title: 'bank mutual-TLS endpoint aliases (RFC 8705)', portOffset: 2 },
    ],
    build: async ({ tenants, tls, clientCa, dataDir, url, trace, trustedIssuers }) => {
      const op = await buildBankOpService(
        {
          tenants,
          tls,
          clientCa,
          publicBaseUrl: url('bank-op'),
          // Published as mtls_endpoint_aliases by the banks that use mutual TLS.
          mtlsBaseUrl: url(BANK_OP_MTLS),
          resourceBaseUrl: url('bank-api'),
          keysDir: keysDir(dataDir),
        },
        { trace },
      )
      for (const [bankId, context] of op.contexts) {
        trustedIssuers.set(bankId, {
          issuer: context.issuer,
          keys: () => context.keys.publicJwks(),
        })
      }
      return { 'bank-op': op.app, [BANK_OP_MTLS]: op.mtlsApp }
    },
  },
  {
    name: 'bank-api',
    listeners: [{ name: 'bank-api', title: 'bank account and payment APIs', portOffset: 3 }],
    build: async ({ tenants, tls, url, trace, trustedIssuers }) => {
      const api = await buildBankApi(
        { tenants, tls, publicBaseUrl: url('bank-api'), issuers: trustedIssuers },
        { trace },
      )
      return { 'bank-api': api.app }
    },
  },
  {
    name: 'fintech',
    listeners: [{ name: FINTECH, title: 'demo fintech', portOffset: 4 }],
    build: async (context) => {
      const fintech = await buildFintech(
        {
          providers: seededProviders(context),
          redirectUris: context.demoFintech.redirectUris,
          ca: context.clientCa,
          tls: context.tls,
          webRoot: builtWebRoot(),
        },
        { trace: context.trace },
      )
      return { [FINTECH]: fintech.app }
    },
  },
  {
    name: 'console',
    listeners: [
      { name: CONSOLE, title: 'sandbox console: flow inspector, ecosystem', portOffset: 5 },
    ],
    build: async ({ tenants, tls, dataDir, url, trace, consoleFlows }) => {
      const sandboxConsole = await buildConsole(
        {
          tenants,
          tls,
          traceFile: join(dataDir, 'console.sqlite'),
          maxFlows: consoleFlows,
          links: { bankOp: url('bank-op'), bankApi: url('bank-api'), fintech: url(FINTECH) },
          webRoot: consoleWebRoot(),
        },
        { trace },
      )
      return { [CONSOLE]: sandboxConsole.app }
    },
  },
]

/** Every named port: each service's listeners. */
export const PORTS: readonly PortDefinition[] = SERVICES.flatMap((service) => service.listeners)

export type ServicePorts = Readonly<Record<string, number>>

/** The port of every entry of {@link PORTS} for a base port (0: all ephemeral). */
export function portsFor(basePort: number): ServicePorts {
  return Object.fromEntries(
    PORTS.map(({ name, portOffset }) => [name, basePort === 0 ? 0 : basePort + portOffset]),
  )
}
