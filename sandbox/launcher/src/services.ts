/** Every service the launcher composes, with its port offset and how to build it. */
import { buildBankApi } from '@sandbox/bank-api/app'
import { buildBankOp } from '@sandbox/bank-op/app'
import type { SandboxServer, ServiceTls } from '@sandbox/service-kit/server'
import type { BankTenant } from '@sandbox/service-kit/tenant'

export interface ServiceContext {
  tenants: readonly BankTenant[]
  tls: ServiceTls
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
    build: ({ tenants, tls }) => buildBankOp({ tenants, tls }),
  },
  {
    name: 'bank-api',
    title: 'bank account and payment APIs',
    portOffset: 3,
    build: ({ tenants, tls }) => buildBankApi({ tenants, tls }),
  },
]

export type ServicePorts = Readonly<Record<string, number>>

/** The port of each service for a base port (0 keeps every port ephemeral, for tests). */
export function portsFor(basePort: number): ServicePorts {
  return Object.fromEntries(
    SERVICES.map((service) => [service.name, basePort === 0 ? 0 : basePort + service.portOffset]),
  )
}
