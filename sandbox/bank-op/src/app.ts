/** The bank's authorization server: one fastify instance hosting every seeded bank, each under its own issuer path. */
import { healthPlugin } from '@sandbox/service-kit/health'
import { createServer, type SandboxServer, type ServiceTls } from '@sandbox/service-kit/server'
import { type BankTenant, bankDatabaseProbes } from '@sandbox/service-kit/tenant'

export interface BankOpConfig {
  /** The banks this server hosts; each keeps its own database. */
  tenants: readonly BankTenant[]
  /** Absent in `inject` tests; the launcher passes the sandbox server certificate. */
  tls?: ServiceTls | undefined
}

export const SERVICE_NAME = 'bank-op'

/** Builds the service without listening: the launcher listens, tests call `inject`. */
export async function buildBankOp(config: BankOpConfig): Promise<SandboxServer> {
  const app = createServer({ tls: config.tls })
  await app.register(healthPlugin, {
    service: SERVICE_NAME,
    probes: bankDatabaseProbes(config.tenants),
  })
  return app
}
