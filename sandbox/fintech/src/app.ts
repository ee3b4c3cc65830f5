/**
 * The demo fintech's back end: a FAPI 2.0 relying party that holds the keys and tokens (they never
 * reach the browser), serves its JSON API and the built front end, and receives the banks'
 * authorization responses at its redirect URI.
 */
import { randomBytes } from 'node:crypto'
import { describe } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { healthPlugin } from '@sandbox/service-kit/health'
import { createServer, type SandboxServer } from '@sandbox/service-kit/server'
import { createTraceBus, type TraceBus } from '@sandbox/service-kit/trace-bus'
import type { FastifyError, FastifyPluginAsync } from 'fastify'
import { BankClient, type BankClientDeps } from './client/bank-client.js'
import type { FintechConfig, ProviderConfig } from './config.js'
import type { FintechContext } from './context.js'
import { assignInteractionIds } from './interaction.js'
import { fintechSessions } from './plugins/session.js'
import { FintechProblem, sendProblem } from './problems.js'
import { accountRoutes } from './routes/accounts.js'
import { CALLBACK_PATH, callbackRoutes } from './routes/callback.js'
import { connectRoutes } from './routes/connect.js'
import { connectionRoutes } from './routes/connections.js'
import { paymentRoutes } from './routes/payments.js'
import { sessionRoutes } from './routes/session.js'
import { webRoutes } from './routes/web.js'
import { createSessionStore, type SessionStore } from './store/sessions.js'

export const SERVICE_NAME = 'fintech' as const

export interface FintechDeps {
  now?: (() => Date) | undefined
  randomBytes?: ((size: number) => Uint8Array) | undefined
  trace?: TraceBus | undefined
  /** Replaces the HTTPS transport to a bank (tests). */
  transport?: ((provider: ProviderConfig) => BankClientDeps['transport']) | undefined
}

export interface Fintech {
  app: SandboxServer
  sessions: SessionStore
  clients: ReadonlyMap<string, BankClient>
}

/** The user-facing answer for anything the routes did not turn into a problem themselves. */
function problemOf(error: FastifyError | OAuthError): FintechProblem {
  if (error instanceof FintechProblem) return error
  // A bank answer that broke a client rule (token_type, ID token): the bank's fault, named.
  if (error instanceof OAuthError) {
    return new FintechProblem(
      502,
      "The bank's answer failed a security check",
      describe(error.rule, error.detail),
    )
  }
  if (error.validation !== undefined) {
    return new FintechProblem(400, 'Check your input', error.message)
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500)
    return new FintechProblem(status, 'Request refused', error.message)
  return new FintechProblem(
    500,
    'Something went wrong in this app',
    'This is a bug in the demo fintech, not your fault. Try again; the details are in its log.',
  )
}

export async function buildFintech(
  config: FintechConfig,
  deps: FintechDeps = {},
): Promise<Fintech> {
  const now = deps.now ?? (() => new Date())
  const random = deps.randomBytes ?? ((size: number) => new Uint8Array(randomBytes(size)))
  const seconds = () => Math.floor(now().getTime() / 1000)
  const clients = new Map<string, BankClient>()
  for (const provider of config.providers) {
    if (clients.has(provider.id)) throw new TypeError(`two providers are called ${provider.id}`)
    clients.set(
      provider.id,
      new BankClient(provider, config.ca, {
        transport: deps.transport?.(provider),
        now: seconds,
      }),
    )
  }
  const randomId = () => Buffer.from(random(24)).toString('base64url')
  const sessions = createSessionStore({ now: () => now().getTime(), randomId })
  const context: FintechContext = {
    config,
    clients,
    sessions,
    seconds,
    randomId,
    trace: deps.trace ?? createTraceBus(),
    origin: new URL(config.redirectUris[0] ?? 'https://localhost').origin,
  }

  const app = createServer({ tls: config.tls })
  app.addHook('onClose', async () => {
    for (const client of clients.values()) client.close()
  })
  // Healthy when every bank's discovery document and keys can be read over TLS (CL-01).
  await app.register(healthPlugin, {
    service: SERVICE_NAME,
    probes: [...clients.values()].map((client) => ({
      name: client.provider.id,
      probe: () => client.metadata(),
    })),
  })

  // Sessions exist only where they are used: the API and the redirect URI.
  const withSession: FastifyPluginAsync = async (scope) => {
    assignInteractionIds(scope)
    await scope.register(fintechSessions, { sessions })
    scope.setErrorHandler(async (error: FastifyError, request, reply) => {
      const problem = problemOf(error)
      if (problem.status >= 500) request.log.error({ err: error }, 'fintech route failed')
      // The callback is a page the browser lands on: it goes back to the app with a notice.
      if (request.routeOptions.url === CALLBACK_PATH) {
        request.session.notice = { kind: 'error', title: problem.title, message: problem.message }
        return reply.header('cache-control', 'no-store').redirect('/', 303)
      }
      return sendProblem(reply, problem)
    })
    await scope.register(sessionRoutes(context))
    await scope.register(connectRoutes(context))
    await scope.register(callbackRoutes(context))
    await scope.register(connectionRoutes(context))
    await scope.register(accountRoutes(context))
    await scope.register(paymentRoutes(context))
  }
  await app.register(withSession)
  if (config.webRoot !== undefined) await app.register(webRoutes, { root: config.webRoot })
  return { app, sessions, clients }
}
