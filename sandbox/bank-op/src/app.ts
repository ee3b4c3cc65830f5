/** The bank's authorization server: one fastify instance hosting every seeded bank, each under its own issuer path. */
import { healthPlugin } from '@sandbox/service-kit/health'
import { createServer, type SandboxServer } from '@sandbox/service-kit/server'
import { bankDatabaseProbes } from '@sandbox/service-kit/tenant'
import { bankDirectory, type HostedBank, issuerFor } from './bank-directory.js'
import { type Clock, systemClock } from './clock.js'
import { type BankOpConfig, validateBankOpConfig } from './config.js'
import { openBankKeys, type RotatableBankKeys } from './keys/bank-keys.js'
import type { KeyGenerator } from './keys/key-ring.js'
import { discoveryRoutes } from './routes/discovery.js'
import { jwksRoutes } from './routes/jwks.js'

export type { BankOpConfig } from './config.js'

export const SERVICE_NAME = 'bank-op'

/** What tests replace: the clock and the key generator (the service's source of randomness). */
export interface BankOpDeps {
  now?: Clock | undefined
  generateKey?: KeyGenerator | undefined
}

/** A built bank-op and the handles the launcher and the console use beside HTTP. */
export interface BankOp {
  app: SandboxServer
  /** Each hosted bank's keys, by bank id, for rotation from the console or tests. */
  keys: ReadonlyMap<string, RotatableBankKeys>
}

/**
 * Builds the service without listening: the launcher listens, tests call `inject`. Opens (and on
 * first start creates) each bank's signing keys in `config.keysDir`.
 * @throws BankOpConfigError when the configuration is unusable
 * @throws KeyFileError when a bank's key file exists but cannot be trusted
 */
export async function buildBankOpService(
  config: BankOpConfig,
  deps: BankOpDeps = {},
): Promise<BankOp> {
  validateBankOpConfig(config)
  const now = deps.now ?? systemClock
  const keys = new Map<string, RotatableBankKeys>()
  const hosted: HostedBank[] = []
  for (const { bank } of config.tenants) {
    const bankKeys = await openBankKeys({
      keysDir: config.keysDir,
      bankId: bank.id,
      now,
      generate: deps.generateKey,
      retiredGraceSeconds: config.retiredKeyGraceSeconds,
    })
    keys.set(bank.id, bankKeys)
    hosted.push({ bank, keys: bankKeys, issuer: issuerFor(config.publicBaseUrl, bank.id) })
  }
  const directory = bankDirectory(hosted)

  const app = createServer({ tls: config.tls })
  await app.register(healthPlugin, {
    service: SERVICE_NAME,
    probes: bankDatabaseProbes(config.tenants),
  })
  const urls = { directory, publicBaseUrl: config.publicBaseUrl, mtlsBaseUrl: config.mtlsBaseUrl }
  await app.register(discoveryRoutes, urls)
  await app.register(jwksRoutes, urls)
  return { app, keys }
}

/** {@link buildBankOpService} for callers that need only the fastify instance. */
export async function buildBankOp(
  config: BankOpConfig,
  deps: BankOpDeps = {},
): Promise<SandboxServer> {
  return (await buildBankOpService(config, deps)).app
}
