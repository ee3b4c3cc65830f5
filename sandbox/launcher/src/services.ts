/** Every service the launcher composes, with its port offset and how to build it. */
import { join } from 'node:path'
import { buildBankApi } from '@sandbox/bank-api/app'
import { buildBankOp } from '@sandbox/bank-op/app'
import type { SandboxServer, ServiceTls } from '@sandbox/service-kit/server'
import type { BankTenant } from '@sandbox/service-kit/tenant'

export interface ServiceContext {
  tenants: readonly BankTenant[]
  tls: ServiceTls
  /** The data folder (`.data`): bank-op keeps the banks' signing keys in `keys/` under it. */
  dataDir: string
  /** This service's public base URL (an https origin), known before it listens. */
  url: string
  /** Base URL of bank-op's mutual-TLS listener (base port + 2), for RFC 8705 endpoint aliases. */
  mtlsUrl: string
  /** Base URL of bank-api, the audience of bank-op's access tokens. */
  apiUrl: string
}

export interface ServiceDefinition {
  name: string
  /** What the service is, for the start-up table. */
  title: string
  /** Port = base port + offset, so one option moves the whole sandbox. */
  portOffset: number
  build(context: ServiceContext): Promise<SandboxServer>
}

export const SERVICES: readonly ServiceDefinition[] = [
  {
    name: 'bank-op',
    title: 'bank authorization servers',
    portOffset: 1,
    build: ({ tenants, tls, dataDir, url, mtlsUrl, apiUrl }) =>
      buildBankOp({
        tenants,
        tls,
        publicBaseUrl: url,
        // Published as mtls_endpoint_aliases for the mTLS bank. Nothing listens there until the
        // mutual-TLS listener is built (a later step of issue 3), like the token endpoint itself.
        mtlsBaseUrl: mtlsUrl,
        resourceBaseUrl: apiUrl,
        keysDir: join(dataDir, 'keys'),
      }),
  },
  {
    name: 'bank-api',
    title: 'bank account and payment APIs',
    portOffset: 3,
    build: ({ tenants, tls }) => buildBankApi({ tenants, tls }),
  },
]

export type ServicePorts = Readonly<Record<string, number>>

/** The ports entry reserved for bank-op's mutual-TLS endpoint aliases (docs/architecture.md). */
export const BANK_OP_MTLS = 'bank-op-mtls'
const BANK_OP_MTLS_PORT_OFFSET = 2

/** The port of each service (and of bank-op's mTLS aliases) for a base port (0: all ephemeral). */
export function portsFor(basePort: number): ServicePorts {
  const offsets: [string, number][] = [
    ...SERVICES.map((service): [string, number] => [service.name, service.portOffset]),
    [BANK_OP_MTLS, BANK_OP_MTLS_PORT_OFFSET],
  ]
  return Object.fromEntries(
    offsets.map(([name, offset]) => [name, basePort === 0 ? 0 : basePort + offset]),
  )
}
