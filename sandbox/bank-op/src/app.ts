/** The bank's authorization server: one fastify instance hosting every seeded bank, each under its own issuer path. */

import { createDpopNonces } from '@sandbox/fapi/dpop/nonce'
import { createMemoryJtiStore } from '@sandbox/fapi/jti-store'
import { healthPlugin } from '@sandbox/service-kit/health'
import { createServer, type SandboxServer } from '@sandbox/service-kit/server'
import { bankDatabaseProbes } from '@sandbox/service-kit/tenant'
import { bankRepositories } from '@sandbox/store/bank-database'
import type { FastifyPluginAsync } from 'fastify'
import type { BankContext } from './bank-context.js'
import { bankDirectory, type HostedBank, issuerFor } from './bank-directory.js'
import { createClientJwksResolver, type JwksFetcher } from './clients/client-jwks.js'
import { type Clock, systemClock } from './clock.js'
import { type BankOpConfig, validateBankOpConfig } from './config.js'
import { openBankKeys, type RotatableBankKeys } from './keys/bank-keys.js'
import type { KeyGenerator } from './keys/key-ring.js'
import { type PeerCertificateReader, tlsPeerCertificate } from './mtls/peer-certificate.js'
import { type Listener, type OAuthScopeOptions, oauthScopePlugin } from './plugins/oauth-scope.js'
import {
  type RegistrationScopeOptions,
  registrationScopePlugin,
} from './plugins/registration-scope.js'
import { type RandomBytes, systemRandomBytes } from './random.js'
import { discoveryRoutes } from './routes/discovery.js'
import { introspectionRoutes } from './routes/introspection.js'
import { jwksRoutes } from './routes/jwks.js'
import { parRoutes } from './routes/par.js'
import { registrationRoutes } from './routes/registration.js'
import { revocationRoutes } from './routes/revocation.js'
import { createExpiringStore } from './state/expiring-store.js'

export type { BankOpConfig } from './config.js'

export const SERVICE_NAME = 'bank-op'

/** What tests replace: the clock, randomness, key generation and the edges to the network. */
export interface BankOpDeps {
  now?: Clock | undefined
  generateKey?: KeyGenerator | undefined
  randomBytes?: RandomBytes | undefined
  /** How a request's client certificate is read (real connections: the TLS socket). */
  peerCertificate?: PeerCertificateReader | undefined
  /** How a client's `jwks_uri` is fetched. */
  fetchJwks?: JwksFetcher | undefined
}

/** A built bank-op and the handles the launcher and the console use beside HTTP. */
export interface BankOp {
  app: SandboxServer
  /** Each hosted bank's keys, by bank id, for rotation from the console or tests. */
  keys: ReadonlyMap<string, RotatableBankKeys>
  /** Each hosted bank's serving state, by bank id (tests and the console look inside). */
  contexts: ReadonlyMap<string, BankContext>
}

/** The back-channel OAuth endpoints in their own encapsulated scope (STYLE 7.4). */
const oauthEndpoints: FastifyPluginAsync<OAuthScopeOptions> = async (scope, options) => {
  await scope.register(oauthScopePlugin, options)
  await scope.register(parRoutes)
  await scope.register(introspectionRoutes)
  await scope.register(revocationRoutes)
}

/** Dynamic registration and client management: JSON bodies, so a scope of their own (RFC 7591). */
const registrationEndpoints: FastifyPluginAsync<RegistrationScopeOptions> = async (
  scope,
  options,
) => {
  await scope.register(registrationScopePlugin, options)
  await scope.register(registrationRoutes)
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
  const random = deps.randomBytes ?? systemRandomBytes
  const seconds = () => Math.floor(now().getTime() / 1000)
  const contexts = new Map<string, BankContext>()
  for (const [index, { bank, keys: bankKeys, issuer }] of hosted.entries()) {
    const tenant = config.tenants[index]
    if (tenant === undefined) continue
    contexts.set(bank.id, {
      bank,
      issuer,
      mtlsBase:
        config.mtlsBaseUrl === undefined ? undefined : issuerFor(config.mtlsBaseUrl, bank.id),
      resourceServer: issuerFor(config.resourceBaseUrl, bank.id),
      keys: bankKeys,
      store: bankRepositories(tenant.db),
      clientJwks: createClientJwksResolver({ now: seconds, fetchJwks: deps.fetchJwks }),
      now: seconds,
      random,
      seenJti: createMemoryJtiStore({ now: seconds }),
      dpopNonces: bank.profile.dpopNonceRequired ? createDpopNonces(random(32)) : undefined,
      pushedRequests: createExpiringStore({ now: seconds }),
      codes: createExpiringStore({ now: seconds }),
    })
  }

  const app = createServer({ tls: config.tls })
  await app.register(healthPlugin, {
    service: SERVICE_NAME,
    probes: bankDatabaseProbes(config.tenants),
  })
  const urls = { directory, publicBaseUrl: config.publicBaseUrl, mtlsBaseUrl: config.mtlsBaseUrl }
  await app.register(discoveryRoutes, urls)
  await app.register(jwksRoutes, urls)
  const oauth = {
    directory,
    contexts,
    publicBaseUrl: config.publicBaseUrl,
    peerCertificate: deps.peerCertificate ?? tlsPeerCertificate,
  }
  await app.register(oauthEndpoints, { ...oauth, listener: 'public' satisfies Listener })
  await app.register(registrationEndpoints, {
    directory,
    contexts,
    publicBaseUrl: config.publicBaseUrl,
  })
  return { app, keys, contexts }
}

/** {@link buildBankOpService} for callers that need only the fastify instance. */
export async function buildBankOp(
  config: BankOpConfig,
  deps: BankOpDeps = {},
): Promise<SandboxServer> {
  return (await buildBankOpService(config, deps)).app
}
