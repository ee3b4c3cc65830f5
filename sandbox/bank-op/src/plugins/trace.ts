/**
 * Trace events for every bank-op request that names a bank (DESIGN principle 6): the HTTP summary
 * with secrets redacted, the JWTs it carried decoded, and each rule checked with its clause,
 * passed or failed. Emitted to the sandbox trace bus when the response is sent.
 */
import { OAuthError, type Rule } from '@sandbox/fapi/errors/oauth-error'
import type { TraceBus } from '@sandbox/service-kit/trace-bus'
import type { TraceActor, TraceCheck, TraceEvent, TraceJwt } from '@sandbox/spec-types/trace-event'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { decodeJwt, decodeProtectedHeader } from 'jose'

export interface TraceRecorder {
  /** A rule this request satisfied. */
  pass(rule: Rule, detail?: string): void
  /** A rule this request broke (the error handler records thrown OAuthErrors itself). */
  fail(error: OAuthError): void
  /** A JWT found at `where` whose signature the server verified. */
  verified(where: string): void
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
    return {
      where,
      header: decodeProtectedHeader(token) as Record<string, unknown>,
      claims: decodeJwt(token) as Record<string, unknown>,
      signature: verified.has(where) ? 'verified' : 'not-checked',
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
 * The last fixed segment of the route's pattern as a step name (`^[a-z][a-z0-9-]*$`, trace-event
 * schema): `/:bank/interaction/:id` is `interaction`, never the id it was called with. A request
 * that matched no route has no pattern, and its path is used.
 */
function stepOf(pattern: string): string {
  const fixed = pattern.split('/').filter((part) => part !== '' && !part.startsWith(':'))
  const segment = (fixed.pop() ?? '').toLowerCase().replace(/[^a-z0-9-]+/g, '-')
  return /^[a-z]/.test(segment) ? segment : `step-${segment}`.replace(/-+$/, '')
}

function traceCheck(rule: Rule, passed: boolean, detail?: string): TraceCheck {
  return {
    ruleId: rule.id,
    clause: { ...rule.clause },
    passed,
    summary: rule.summary,
    ...(detail === undefined ? {} : { detail }),
  }
}

export interface TracePluginOptions {
  bus: TraceBus
  now: () => Date
  /** Event ids (random, injected). */
  newId: () => string
}

async function tracePlugin(app: FastifyInstance, options: TracePluginOptions) {
  const { bus, now, newId } = options
  const nextSeq = new Map<string, number>()
  app.decorateRequest('trace', null as unknown as TraceRecorder)
  const state = new WeakMap<FastifyRequest, { checks: TraceCheck[]; verified: Set<string> }>()

  app.addHook('onRequest', async (request) => {
    const checks: TraceCheck[] = []
    const verified = new Set<string>()
    state.set(request, { checks, verified })
    request.trace = {
      pass: (rule, detail) => checks.push(traceCheck(rule, true, detail)),
      fail: (error) => checks.push(traceCheck(error.rule, false, error.detail)),
      verified: (where) => verified.add(where),
    }
  })

  app.addHook('onError', async (request, _reply, error) => {
    if (error instanceof OAuthError) request.trace.fail(error)
  })

  app.addHook('onResponse', async (request, reply) => {
    const bankId = (request.params as { bank?: unknown } | undefined)?.bank
    const recorded = state.get(request)
    if (typeof bankId !== 'string' || recorded === undefined) return
    const interaction = request.headers['x-fapi-interaction-id']
    const interactionId = typeof interaction === 'string' ? interaction : undefined
    const flowId = (interactionId ?? request.id).slice(0, 64)
    const seq = nextSeq.get(flowId) ?? 0
    nextSeq.set(flowId, seq + 1)
    if (nextSeq.size > 10_000) nextSeq.delete(nextSeq.keys().next().value as string)

    const jwts: TraceJwt[] = []
    const body = request.body as Record<string, unknown> | undefined
    for (const name of JWT_PARAMETERS) {
      const value = body?.[name]
      if (typeof value === 'string') {
        const decoded = decode(name, value, recorded.verified)
        if (decoded) jwts.push(decoded)
      }
    }
    const dpop = request.headers.dpop
    if (typeof dpop === 'string') {
      const decoded = decode('DPoP header', dpop, recorded.verified)
      if (decoded) jwts.push(decoded)
    }
    const headers: Record<string, string> = {}
    for (const name of ['content-type', 'accept', 'x-fapi-interaction-id']) {
      const value = request.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    if (request.headers.authorization !== undefined) {
      headers.authorization = `${request.headers.authorization.split(' ', 1)[0]} ${REDACTED}`
    }
    const config = request.routeOptions.config
    const path = request.url.split('?', 1)[0] ?? ''
    const event: TraceEvent = {
      id: newId(),
      flowId,
      seq,
      at: now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      service: 'bank-op',
      bankId,
      step: config.step ?? stepOf(request.routeOptions.url ?? path),
      from: config.caller ?? 'fintech',
      to: 'bank-op',
      http: {
        method: request.method,
        url: `https://${request.hostname}${path}`,
        status: reply.statusCode,
        headers,
        ...(body === undefined ? {} : { body: redactBody(body) }),
      },
      jwts,
      checks: recorded.checks,
      ...(interactionId === undefined ? {} : { interactionId }),
    }
    bus.emit(event)
  })
}

export const tracePluginFp = fp(tracePlugin, { name: 'trace' })
