/**
 * The bank's account and payment APIs: one fastify instance serving every seeded bank under its
 * own base path (`/{bank}`), each bank with its own database, the authorization server it trusts
 * and its own DPoP replay and nonce state (DESIGN principle 1).
 */

import { randomBytes } from 'node:crypto'
import { createDpopNonces } from '@sandbox/fapi/dpop/nonce'
import { createMemoryJtiStore } from '@sandbox/fapi/jti-store'
import { healthPlugin } from '@sandbox/service-kit/health'
import {
  type PeerCertificateReader,
  tlsPeerCertificate,
} from '@sandbox/service-kit/peer-certificate'
import { createServer, type SandboxServer, type ServiceTls } from '@sandbox/service-kit/server'
import { type BankTenant, bankDatabaseProbes } from '@sandbox/service-kit/tenant'
import { createTraceBus, type TraceBus } from '@sandbox/service-kit/trace-bus'
import { tracePluginFp } from '@sandbox/service-kit/trace-plugin'
import { PROBLEM_JSON_MEDIA_TYPE } from '@sandbox/spec-types/problem'
import { bankRepositories } from '@sandbox/store/bank-database'
import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify'
import { type ApiBank, stableIssuerKeys, type TrustedIssuer } from './api-bank.js'
import { registerOpenApi } from './openapi.js'
import { type ApiScopeOptions, apiScopePlugin } from './plugins/api-scope.js'
import { ApiProblem } from './problem.js'
import { accountRoutes } from './routes/accounts.js'
import { paymentRoutes } from './routes/payments.js'
import { problemRoutes } from './routes/problems.js'
import { apiRules } from './rules.js'

export type { TrustedIssuer } from './api-bank.js'

export const SERVICE_NAME = 'bank-api' as const

export interface BankApiConfig {
  /** The banks this server hosts; each keeps its own database. */
  tenants: readonly BankTenant[]
  /** Absent in `inject` tests; the launcher passes the sandbox server certificate. */
  tls?: ServiceTls | undefined
  /** This server's public https origin: bank `b`'s APIs live at `${publicBaseUrl}/b`. */
  publicBaseUrl: string
  /** The authorization server each bank's tokens come from, by bank id. */
  issuers: ReadonlyMap<string, TrustedIssuer>
}

/** What tests replace: the clock, randomness, the client certificate reader and the trace bus. */
export interface BankApiDeps {
  now?: (() => Date) | undefined
  randomBytes?: ((size: number) => Uint8Array) | undefined
  peerCertificate?: PeerCertificateReader | undefined
  /** Where trace events go; the launcher passes the sandbox's one bus. */
  trace?: TraceBus | undefined
  /** How often payments advance in the background; 0 leaves it to reads (tests). */
  paymentTickMs?: number | undefined
}

export interface BankApi {
  app: SandboxServer
  banks: ReadonlyMap<string, ApiBank>
  trace: TraceBus
}

/** A bank's APIs in their own encapsulated scope (STYLE 7.4). */
const bankEndpoints: FastifyPluginAsync<ApiScopeOptions> = async (scope, options) => {
  await scope.register(apiScopePlugin, options)
  await scope.register(accountRoutes)
  await scope.register(paymentRoutes)
}

/** Sandbox policy: how often in-flight payments move on without anyone reading them. */
export const PAYMENT_TICK_MS = 500

/** Builds the service without listening: the launcher listens, tests call `inject`. */
export async function buildBankApi(
  config: BankApiConfig,
  deps: BankApiDeps = {},
): Promise<BankApi> {
  const now = deps.now ?? (() => new Date())
  const random = deps.randomBytes ?? ((size: number) => new Uint8Array(randomBytes(size)))
  const seconds = () => Math.floor(now().getTime() / 1000)
  const banks = new Map<string, ApiBank>()
  for (const { bank, db } of config.tenants) {
    const trusted = config.issuers.get(bank.id)
    if (trusted === undefined) throw new Error(`bank-api: no trusted issuer for bank ${bank.id}`)
    banks.set(bank.id, {
      bank,
      baseUrl: `${config.publicBaseUrl}/${bank.id}`,
      trusted: { issuer: trusted.issuer, keys: stableIssuerKeys(() => trusted.keys()) },
      store: bankRepositories(db),
      now: seconds,
      seenJti: createMemoryJtiStore({ now: seconds }),
      dpopNonces: bank.profile.dpopNonceRequired ? createDpopNonces(random(32)) : undefined,
    })
  }
  const trace = deps.trace ?? createTraceBus()
  // Mutual TLS: ask every client for its certificate; the DPoP banks ignore it (RFC 8705 3).
  const tls = config.tls === undefined ? undefined : { ...config.tls, requestCert: true }
  const app = createServer({
    tls,
    // A URL the router cannot decode is refused before any route: still a problem document.
    frameworkErrors: (error, _request, reply: FastifyReply) =>
      reply
        .code(400)
        .type(PROBLEM_JSON_MEDIA_TYPE)
        .header('cache-control', 'no-store')
        .send(new ApiProblem(apiRules.malformedRequest, error.message).toProblem()),
  })
  await app.register(tracePluginFp, {
    service: SERVICE_NAME,
    bus: trace,
    now,
    newId: () => Buffer.from(random(16)).toString('base64url'),
  })
  await app.register(healthPlugin, {
    service: SERVICE_NAME,
    probes: bankDatabaseProbes(config.tenants),
  })
  // Outside a bank's scope (a path the router cannot even decode): a problem, not fastify's JSON.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500
    if (status >= 500) request.log.error({ err: error }, 'unexpected error in the bank API')
    return reply
      .code(status >= 400 && status < 500 ? status : 500)
      .type(PROBLEM_JSON_MEDIA_TYPE)
      .header('cache-control', 'no-store')
      .send({
        type: 'about:blank',
        title: status < 500 ? 'Bad Request' : 'Internal Server Error',
        status: status >= 400 && status < 500 ? status : 500,
        detail: status < 500 ? error.message : 'the bank failed unexpectedly',
      })
  })
  // RFC 9457 for every path this server does not serve, like every other refusal.
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type(PROBLEM_JSON_MEDIA_TYPE)
      .header('cache-control', 'no-store')
      .send(
        new ApiProblem(
          apiRules.notFound,
          `nothing at ${request.method} ${request.url.split('?', 1)[0]?.slice(0, 80)}`,
        ).toProblem(),
      ),
  )
  await registerOpenApi(app, banks)
  await app.register(problemRoutes)
  await app.register(bankEndpoints, {
    banks,
    publicBaseUrl: config.publicBaseUrl,
    peerCertificate: deps.peerCertificate ?? tlsPeerCertificate,
  })
  startPaymentTicker(app, banks, deps.paymentTickMs ?? PAYMENT_TICK_MS)
  return { app, banks, trace }
}

/**
 * Moves every bank's in-flight payments through their lifecycle (pending, accepted, settled or
 * rejected) as time passes, so balances change even if no client polls. One tick at a time.
 */
function startPaymentTicker(
  app: SandboxServer,
  banks: ReadonlyMap<string, ApiBank>,
  everyMs: number,
) {
  if (everyMs <= 0) return
  let running = false
  const timer = setInterval(async () => {
    if (running) return
    running = true
    try {
      for (const bank of banks.values()) await bank.store.payments.advanceDue(bank.now())
    } catch (error) {
      app.log.error({ err: error }, 'advancing payments failed')
    } finally {
      running = false
    }
  }, everyMs)
  timer.unref()
  app.addHook('onClose', async () => clearInterval(timer))
}
