/**
 * The bank's authorization server: every seeded bank under its own issuer path, on a public
 * listener and on the mutual-TLS listener of its `mtls_endpoint_aliases` (RFC 8705 section 5).
 */

import { createDpopNonces } from '@sandbox/fapi/dpop/nonce'
import { createMemoryJtiStore } from '@sandbox/fapi/jti-store'
import { healthPlugin } from '@sandbox/service-kit/health'
import {
  type PeerCertificateReader,
  tlsPeerCertificate,
} from '@sandbox/service-kit/peer-certificate'
import { createServer, type SandboxServer, type ServiceTls } from '@sandbox/service-kit/server'
import { bankDatabaseProbes } from '@sandbox/service-kit/tenant'
import { createTraceBus, type TraceBus } from '@sandbox/service-kit/trace-bus'
import { tracePluginFp } from '@sandbox/service-kit/trace-plugin'
import { type BankRepositories, bankRepositories } from '@sandbox/store/bank-database'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { base64url } from 'jose'
import type { BankContext } from './bank-context.js'
import { bankDirectory, type HostedBank, issuerFor } from './bank-directory.js'
import { cachedClientRepository } from './clients/cached-clients.js'
import { createClientJwksResolver, type JwksFetcher } from './clients/client-jwks.js'
import { type Clock, systemClock } from './clock.js'
import { type BankOpConfig, validateBankOpConfig } from './config.js'
import { openBankKeys, type RotatableBankKeys } from './keys/bank-keys.js'
import type { KeyGenerator } from './keys/key-ring.js'
import { type BrowserScopeOptions, browserScopePlugin } from './plugins/browser-scope.js'
import { type Listener, type OAuthScopeOptions, oauthScopePlugin } from './plugins/oauth-scope.js'
import { protectedResourceScopePlugin } from './plugins/protected-resource-scope.js'
import {
  type RegistrationScopeOptions,
  registrationScopePlugin,
} from './plugins/registration-scope.js'
import { type RandomBytes, systemRandomBytes } from './random.js'
import { authorizeRoutes } from './routes/authorize.js'
import { connectedAppsRoutes } from './routes/connected-apps.js'
import { discoveryRoutes } from './routes/discovery.js'
import { interactionRoutes } from './routes/interaction.js'
import { introspectionRoutes } from './routes/introspection.js'
import { jwksRoutes } from './routes/jwks.js'
import { parRoutes } from './routes/par.js'
import { registrationRoutes } from './routes/registration.js'
import { revocationRoutes } from './routes/revocation.js'
import { tokenRoutes } from './routes/token.js'
import { userinfoRoutes } from './routes/userinfo.js'
import { createExpiringStore } from './state/expiring-store.js'

export type { BankOpConfig } from './config.js'

export const SERVICE_NAME = 'bank-op' as const
/** The mutual-TLS listener's name in its health document and in the launcher's ports. */
export const MTLS_LISTENER_NAME = 'bank-op-mtls'

/** What tests replace: the clock, randomness, key generation and the edges to the network. */
export interface BankOpDeps {
  now?: Clock | undefined
  generateKey?: KeyGenerator | undefined
  randomBytes?: RandomBytes | undefined
  /** How a request's client certificate is read (real connections: the TLS socket). */
  peerCertificate?: PeerCertificateReader | undefined
  /** Which listener a request arrived on (default: the one its scope was registered for). */
  listenerOf?: ((request: FastifyRequest) => Listener) | undefined
  /** How a client's `jwks_uri` is fetched. */
  fetchJwks?: JwksFetcher | undefined
  /** Where trace events go; the launcher passes the sandbox's one bus. */
  trace?: TraceBus | undefined
}

/** A built bank-op and the handles the launcher and the console use beside HTTP. */
export interface BankOp {
  app: SandboxServer
  /**
   * The mutual-TLS listener behind `mtls_endpoint_aliases` (RFC 8705 section 5), present when
   * `mtlsBaseUrl` is configured: the aliased endpoints over the same bank state as `app`, on a
   * listener that asks every client for its certificate.
   */
  mtlsApp?: SandboxServer | undefined
  /** Each hosted bank's keys, by bank id, for rotation from the console or tests. */
  keys: ReadonlyMap<string, RotatableBankKeys>
  /** Each hosted bank's serving state, by bank id (tests and the console look inside). */
  contexts: ReadonlyMap<string, BankContext>
  /** The bus this instance emits its trace events to. */
  trace: TraceBus
}

/** A bank's repositories, with client records cached for the per-request client authentication. */
function withCachedClients(store: BankRepositories, now: () => number): BankRepositories {
  return { ...store, clients: cachedClientRepository(store.clients, now) }
}

/** The back-channel OAuth endpoints in their own encapsulated scope (STYLE 7.4). */
const oauthEndpoints: FastifyPluginAsync<OAuthScopeOptions> = async (scope, options) => {
  await scope.register(oauthScopePlugin, options)
  await scope.register(parRoutes)
  await scope.register(tokenRoutes)
  await scope.register(introspectionRoutes)
  await scope.register(revocationRoutes)
}

/** The bank's protected resources (userinfo) in their own scope: challenges, not RFC 6749 errors. */
const resourceEndpoints: FastifyPluginAsync<OAuthScopeOptions> = async (scope, options) => {
  await scope.register(protectedResourceScopePlugin, options)
  await scope.register(userinfoRoutes)
}

/** Dynamic registration and client management: JSON bodies, so a scope of their own (RFC 7591). */
const registrationEndpoints: FastifyPluginAsync<RegistrationScopeOptions> = async (
  scope,
  options,
) => {
  await scope.register(registrationScopePlugin, options)
  await scope.register(registrationRoutes)
}

/** The browser endpoints (authorization, sign-in, consent, connected apps) in their own scope. */
const browserEndpoints: FastifyPluginAsync<BrowserScopeOptions> = async (scope, options) => {
  // Trace events of these routes show the user's browser as the caller.
  scope.addHook('onRoute', (route) => {
    route.config = { caller: 'browser', ...route.config }
  })
  await scope.register(browserScopePlugin, options)
  await scope.register(authorizeRoutes)
  await scope.register(interactionRoutes)
  await scope.register(connectedAppsRoutes)
}

/**
 * Every endpoint `mtls_endpoint_aliases` names (RFC 8705 section 5: PAR, token, introspection,
 * revocation, userinfo) registers here and nowhere else, so it is served on both listeners over
 * the same bank state. Userinfo answers bearer-token errors, not RFC 6749 section 5.2 ones, so it
 * registers beside `oauthEndpoints` rather than inside it.
 */
const aliasedEndpoints: FastifyPluginAsync<OAuthScopeOptions> = async (app, options) => {
  await app.register(oauthEndpoints, options)
  await app.register(resourceEndpoints, options)
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
      store: withCachedClients(bankRepositories(tenant.db), seconds),
      clientJwks: createClientJwksResolver({ now: seconds, fetchJwks: deps.fetchJwks }),
      now: seconds,
      random,
      seenJti: createMemoryJtiStore({ now: seconds }),
      dpopNonces: bank.profile.dpopNonceRequired ? createDpopNonces(random(32)) : undefined,
      pushedRequests: createExpiringStore({ now: seconds }),
      codes: createExpiringStore({ now: seconds }),
    })
  }

  const probes = bankDatabaseProbes(config.tenants)
  const trace = deps.trace ?? createTraceBus()
  const traceOptions = {
    service: SERVICE_NAME,
    bus: trace,
    now,
    newId: () => base64url.encode(random(16)),
  }
  const oauth = {
    directory,
    contexts,
    publicBaseUrl: config.publicBaseUrl,
    peerCertificate: deps.peerCertificate ?? tlsPeerCertificate,
    listenerOf: deps.listenerOf,
  }
  const app = createServer({ tls: config.tls })
  await app.register(tracePluginFp, traceOptions)
  await app.register(healthPlugin, { service: SERVICE_NAME, probes })
  const urls = { directory, publicBaseUrl: config.publicBaseUrl, mtlsBaseUrl: config.mtlsBaseUrl }
  await app.register(discoveryRoutes, urls)
  await app.register(jwksRoutes, urls)
  await app.register(aliasedEndpoints, { ...oauth, listener: 'public' satisfies Listener })
  await app.register(registrationEndpoints, {
    directory,
    contexts,
    publicBaseUrl: config.publicBaseUrl,
  })
  await app.register(browserEndpoints, { directory, contexts, publicBaseUrl: config.publicBaseUrl })

  if (config.mtlsBaseUrl === undefined) return { app, keys, contexts, trace }
  // RFC 8705 section 5: the aliases only, beside health; discovery and jwks stay on `app`.
  const mtlsApp = createServer({ tls: mutualTls(config) })
  await mtlsApp.register(tracePluginFp, traceOptions)
  await mtlsApp.register(healthPlugin, { service: MTLS_LISTENER_NAME, probes })
  await mtlsApp.register(aliasedEndpoints, { ...oauth, listener: 'mtls' satisfies Listener })
  return { app, mtlsApp, keys, contexts, trace }
}

/**
 * The mutual-TLS listener's TLS: the server certificate of `tls`, and a request for a client
 * certificate checked against `clientCa`. A missing or untrusted certificate does not end the
 * handshake (`rejectUnauthorized` stays off in service-kit): the OAuth layer answers it with an
 * error that cites RFC 8705 section 2.
 */
function mutualTls(config: BankOpConfig): ServiceTls | undefined {
  const { tls, clientCa } = config
  // validateBankOpConfig demands clientCa whenever tls and mtlsBaseUrl are both present.
  if (tls === undefined || clientCa === undefined) return undefined
  return { ...tls, ca: clientCa, requestCert: true }
}

/** {@link buildBankOpService} for callers that need only the fastify instance. */
export async function buildBankOp(
  config: BankOpConfig,
  deps: BankOpDeps = {},
): Promise<SandboxServer> {
  return (await buildBankOpService(config, deps)).app
}
