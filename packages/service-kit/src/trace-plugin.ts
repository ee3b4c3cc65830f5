/**
 * Trace events for every request of a bank service that names a bank (DESIGN principle 6): the
 * HTTP summary with secrets redacted, the JWTs it carried decoded, and each rule checked with its
 * clause, passed or failed. Emitted to the sandbox trace bus when the response is sent.
 */
import { OAuthError, type Rule } from '@sandbox/fapi/errors/oauth-error'
import type {
  TraceActor,
  TraceCheck,
  TraceEvent,
  TraceJwt,
  TraceService,
} from '@sandbox/spec-types/trace-event'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { TraceBus } from './trace-bus.js'

/** What a trace check shows of a rule; the kit's OAuth rules and the APIs' own rules both fit. */
export type TracedRule = Pick<Rule, 'id' | 'clause' | 'summary'>

export interface TraceRecorder {
  /** A rule this request satisfied. */
  pass(rule: TracedRule, detail?: string): void
  /** A rule this request broke (the error handler records thrown OAuthErrors itself). */
  fail(rule: TracedRule, detail?: string): void
  /** A JWT found at `where` whose signature the server verified. */
  verified(where: string): void
  /**
   * Puts this request's event into the flow `flowId` (the interaction id its pushed request came
   * with), so a browser's visit to the bank joins the flow the client started.
   */
  joinFlow(flowId: string | undefined): void
}

declare module 'fastify' {
  interface FastifyRequest {
    trace: TraceRecorder
  }
  interface FastifyContextConfig {
    /** The step name of the flow diagrams (`par`, `authorize`, `token`); default: the last path segment. */
    step?: string
    /** Who calls this route: the fintech's back end (default) or the user's browser. */
    caller?: TraceActor
  }
}

/** Values never written to a trace (DESIGN principle 6; STYLE house rule 10). */
const SECRET_PARAMETERS = new Set([
  'code',
  'code_verifier',
  'refresh_token',
  'access_token',
  'token',
  'password',
  'one_time_code',
  'client_secret',
  'registration_access_token',
  'csrf',
  '_csrf',
])

/** Request parameters and headers that carry JWTs, decoded into the event. */
const JWT_PARAMETERS = ['client_assertion', 'request'] as const

export const REDACTED = '[redacted]'

function decode(where: string, token: string, verified: ReadonlySet<string>): TraceJwt | undefined {
  try {
    const header = decodeProtectedHeader(token) as Record<string, unknown>
    const checked = verified.has(where)
    return {
      where,
      header,
      claims: decodeJwt(token) as Record<string, unknown>,
      signature: checked ? 'verified' : 'not-checked',
      // The key that verified it: its kid (a DPoP proof carries its key, it has none).
      ...(checked && typeof header.kid === 'string' ? { keyId: header.kid } : {}),
    }
  } catch {
    return undefined
  }
}

function redactBody(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const redacted: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(body)) {
    redacted[name] = SECRET_PARAMETERS.has(name)
      ? REDACTED
      : (JWT_PARAMETERS as readonly string[]).includes(name)
        ? '[JWT, decoded below]'
        : value
  }
  return redacted
}

/**
 * The step name of a route: the last segment of its pattern that is not a parameter, so
 * `/:bank/interaction/:id` is `interaction`, never an id (`^[a-z][a-z0-9-]*$`, trace-event schema).
 */
export function stepOf(routePattern: string): string {
  const fixed = routePattern
    .split('/')
    .filter((segment) => segment !== '' && !segment.startsWith(':'))
  const segment = (fixed.pop() ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return /^[a-z]/.test(segment) ? segment : 'request'
}

/** A rule as a trace event lists it: passed or failed, with its clause and the specific fact. */
export function traceCheck(
  rule: TracedRule,
  passed: boolean,
  detail?: string | undefined,
): TraceCheck {
  return {
    ruleId: rule.id,
    clause: { ...rule.clause },
    passed,
    summary: rule.summary,
    ...(detail === undefined ? {} : { detail }),
  }
}

export interface TracePluginOptions {
  /** The service whose requests these are: the `service` and the `to` of every event. */
  service: TraceService
  bus: TraceBus
  now: () => Date
  /** Event ids (random, injected). */
  newId: () => string
}

async function tracePlugin(app: FastifyInstance, options: TracePluginOptions) {
  const { service, bus, now, newId } = options
  const nextSeq = new Map<string, number>()
  app.decorateRequest('trace', null as unknown as TraceRecorder)
  // Checks are kept as the rule objects themselves and turned into trace checks when the event is
  // built (when someone reads it), so recording one costs the request a push.
  type Recorded = [rule: TracedRule, passed: boolean, detail: string | undefined]
  interface Recording {
    checks: Recorded[]
    verified: Set<string>
    flowId?: string | undefined
  }
  const state = new WeakMap<FastifyRequest, Recording>()

  app.addHook('onRequest', async (request) => {
    const recording: Recording = { checks: [], verified: new Set() }
    const { checks, verified } = recording
    state.set(request, recording)
    request.trace = {
      pass: (rule, detail) => checks.push([rule, true, detail]),
      fail: (rule, detail) => checks.push([rule, false, detail]),
      verified: (where) => verified.add(where),
      joinFlow: (flowId) => {
        if (flowId !== undefined) recording.flowId = flowId
      },
    }
  })

  app.addHook('onError', async (request, _reply, error) => {
    if (error instanceof OAuthError) request.trace.fail(error.rule, error.detail)
  })

  app.addHook('onResponse', async (request, reply) => {
    const bankId = (request.params as { bank?: unknown } | undefined)?.bank
    const recorded = state.get(request)
    if (typeof bankId !== 'string' || recorded === undefined) return
    const interaction = request.headers['x-fapi-interaction-id']
    const interactionId = typeof interaction === 'string' ? interaction : undefined
    // Without an interaction id a request is its own flow; request ids restart with the process, a
    // fresh id does not, so stored flows of an earlier run never merge with new ones.
    const flowId = (recorded.flowId ?? interactionId ?? newId()).slice(0, 64)
    const seq = nextSeq.get(flowId) ?? 0
    nextSeq.set(flowId, seq + 1)
    if (nextSeq.size > 10_000) nextSeq.delete(nextSeq.keys().next().value as string)

    const headers: Record<string, string> = {}
    for (const name of ['content-type', 'accept', 'x-fapi-interaction-id']) {
      const value = request.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    const { authorization } = request.headers
    if (authorization !== undefined) {
      headers.authorization = `${authorization.split(' ', 1)[0]} ${REDACTED}`
    }
    const config = request.routeOptions.config
    const path = request.url.split('?', 1)[0] ?? ''
    const routePattern = request.routeOptions.url ?? path
    const body = request.body as Record<string, unknown> | undefined
    const dpop = request.headers.dpop
    const at = now()
    const id = newId()
    const url = `https://${request.host}${path}`
    const { method } = request
    const status = reply.statusCode
    // Built when the console or a test reads it: decoding JWTs stays off the request's path.
    bus.emit((): TraceEvent => {
      const jwts: TraceJwt[] = []
      for (const name of JWT_PARAMETERS) {
        const value = body?.[name]
        if (typeof value === 'string') {
          const decoded = decode(name, value, recorded.verified)
          if (decoded) jwts.push(decoded)
        }
      }
      // The access token itself stays redacted; its header and claims are what a workshop reads.
      const accessToken = authorization?.split(' ')[1]
      if (accessToken !== undefined) {
        const decoded = decode('access token', accessToken, recorded.verified)
        if (decoded) jwts.push(decoded)
      }
      if (typeof dpop === 'string') {
        const decoded = decode('DPoP header', dpop, recorded.verified)
        if (decoded) jwts.push(decoded)
      }
      return {
        id,
        flowId,
        seq,
        at: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        service,
        bankId,
        step: config.step ?? stepOf(routePattern),
        from: config.caller ?? 'fintech',
        to: service,
        http: {
          method,
          url,
          status,
          headers,
          ...(body === undefined ? {} : { body: redactBody(body) }),
        },
        jwts,
        checks: recorded.checks.map(([rule, passed, detail]) => traceCheck(rule, passed, detail)),
        ...(interactionId === undefined ? {} : { interactionId }),
      }
    })
  })
}

export const tracePluginFp = fp(tracePlugin, { name: 'trace' })
