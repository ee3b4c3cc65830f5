/** The bank's account and payment APIs: one fastify instance serving every seeded bank under its own base path. */
import { healthPlugin } from '@sandbox/service-kit/health'
import { createServer, type SandboxServer, type ServiceTls } from '@sandbox/service-kit/server'
import { type BankTenant, bankDatabaseProbes } from '@sandbox/service-kit/tenant'

export interface BankApiConfig {
  /** The banks this server hosts; each keeps its own database. */
  tenants: readonly BankTenant[]
  /** Absent in `inject` tests; the launcher passes the sandbox server certificate. */
  tls?: ServiceTls | undefined
}

export const SERVICE_NAME = 'bank-api'

/** Builds the service without listening: the launcher listens, tests call `inject`. */
export async function buildBankApi(config: BankApiConfig): Promise<SandboxServer> {
  const app = createServer({ tls: config.tls })
  await app.register(healthPlugin, {
    service: SERVICE_NAME,
    probes: bankDatabaseProbes(config.tenants),
  })
  return app
}
