/**
 * The encapsulated context of a bank's APIs: the bank resolved from the `{bank}` path segment,
 * JSON bodies only, the `x-fapi-interaction-id` of every exchange, and one error handler that
 * answers every refusal as an RFC 9457 problem (with the RFC 6750 / RFC 9449 challenge when the
 * token or its proof was refused) and never answers bad input with a 500.
 */
import { randomUUID } from 'node:crypto'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { renderChallenge, resourceChallenge } from '@sandbox/fapi/errors/www-authenticate'
import type { PeerCertificateReader } from '@sandbox/service-kit/peer-certificate'
import { PROBLEM_JSON_MEDIA_TYPE } from '@sandbox/spec-types/problem'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { authorizeCaller, type Caller } from '../access/authorize.js'
import type { ApiBank } from '../api-bank.js'
import { ApiProblem, tokenProblem } from '../problem.js'
import { apiRules } from '../rules.js'

/** Sandbox policy: no API request body needs more than 16 KiB. */
export const API_BODY_LIMIT = 16 * 1024

export const INTERACTION_ID_HEADER = 'x-fapi-interaction-id'

// RFC 9562 section 4: 8-4-4-4-12 hex digits, either case.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface ApiScopeOptions {
  banks: ReadonlyMap<string, ApiBank>
  publicBaseUrl: string
  peerCertificate: PeerCertificateReader
  /** Fresh interaction ids (injected; default random UUIDs). */
  newInteractionId?: (() => string) | undefined
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The bank named by the `{bank}` path segment (set before validation). */
    bank: ApiBank
    /** The exchange's `x-fapi-interaction-id`: the client's, or one this server made. */
    interactionId: string
    /** Who calls and what their token permits, once the token is accepted (every API route). */
    caller: Caller
    /** The DER client certificate of the connection, when the client presented one. */
    clientCertificate(): Uint8Array | undefined
  }
}

/** Sends a problem document with the headers the refusal calls for. */
function sendProblem(
  reply: FastifyReply,
  status: number,
  body: object,
  headers: Readonly<Record<string, string>> = {},
): FastifyReply {
  return reply.code(status).headers(headers).type(PROBLEM_JSON_MEDIA_TYPE).send(body)
}

/** The challenge of a 403: the error and, for a missing kind of access, the scope to ask for. */
function insufficientScopeChallenge(request: FastifyRequest, error: ApiProblem): string {
  const dpop = request.bank?.bank.profile.senderConstraint !== 'mtls'
  return renderChallenge({
    scheme: dpop ? 'DPoP' : 'Bearer',
    error: 'insufficient_scope',
    error_description: error.message,
    ...(error.scope === undefined ? {} : { scope: error.scope }),
  })
}

/** Turns a fastify schema or parser failure into the API rule it breaks. */
function problemFromFastify(error: FastifyError): ApiProblem {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) {
    return new ApiProblem(apiRules.unsupportedMediaType)
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
    return new ApiProblem(apiRules.malformedRequest, `the body exceeds ${API_BODY_LIMIT} bytes`)
  }
  const [first] = error.validation ?? []
  if (first !== undefined) {
    const where = error.validationContext ?? 'request'
    const path = first.instancePath === '' ? '' : ` ${first.instancePath.slice(1)}`
    return new ApiProblem(
      apiRules.malformedRequest,
      `${where}${path} ${first.message ?? 'is invalid'}`,
    )
  }
  // Any other 4xx fastify raises while reading the request (empty or undecodable JSON).
  return new ApiProblem(apiRules.malformedRequest, error.message)
}

async function apiScope(app: FastifyInstance, options: ApiScopeOptions) {
  const { banks, peerCertificate } = options
  const newInteractionId = options.newInteractionId ?? randomUUID
  // JSON only: fastify's text/plain parser would hand a string body to the handlers.
  app.removeContentTypeParser('text/plain')
  app.decorateRequest('bank', null as unknown as ApiBank)
  app.decorateRequest('interactionId', '')
  app.decorateRequest('caller', null as unknown as Caller)
  app.decorateRequest('clientCertificate', function (this: FastifyRequest) {
    return peerCertificate(this)?.der
  })

  app.addHook('onRequest', async (request, reply) => {
    // RS-15: the client's id is echoed, or a fresh one given, on every answer including refusals.
    const sent = request.headers[INTERACTION_ID_HEADER]
    const valid = typeof sent === 'string' && UUID.test(sent)
    request.interactionId = valid ? sent : newInteractionId()
    // The trace event of the exchange carries the id the response does.
    request.headers[INTERACTION_ID_HEADER] = request.interactionId
    reply.header(INTERACTION_ID_HEADER, request.interactionId)
    reply.header('cache-control', 'no-store')
    if (sent !== undefined && !valid) {
      throw new ApiProblem(apiRules.interactionIdMalformed, `got ${String(sent).slice(0, 40)}`)
    }
    const bankId = (request.params as { bank?: string }).bank ?? ''
    const bank = banks.get(bankId)
    if (bank === undefined) {
      const known = [...banks.keys()].map((id) => `${options.publicBaseUrl}/${id}`)
      throw new ApiProblem(
        apiRules.unknownBank,
        `no bank '${bankId.slice(0, 40)}' here; banks: ${known.join(', ') || 'none'}`,
      )
    }
    request.bank = bank
  })

  // Before the body and query are validated: an unauthorized caller learns nothing about them.
  app.addHook('preValidation', async (request) => {
    request.caller = await authorizeCaller(request)
  })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof OAuthError) {
      const constraint = request.bank?.bank.profile.senderConstraint ?? 'dpop'
      const { status, headers, bare } = resourceChallenge(error, constraint)
      // RFC 6750 section 3.1: no error code when no credentials came; the problem still explains.
      return sendProblem(reply, status, tokenProblem(error, status, bare), headers)
    }
    if (error instanceof ApiProblem) {
      request.trace.fail(error.rule, error.detail)
      const headers: Record<string, string> =
        error.rule.error === 'insufficient_scope'
          ? { 'www-authenticate': insufficientScopeChallenge(request, error) }
          : {}
      return sendProblem(reply, error.rule.status, error.toProblem(), headers)
    }
    const status = error.statusCode ?? 500
    if (error.validation !== undefined || (status >= 400 && status < 500)) {
      const problem = problemFromFastify(error)
      request.trace.fail(problem.rule, problem.detail)
      return sendProblem(reply, problem.rule.status, problem.toProblem())
    }
    request.log.error({ err: error }, 'unexpected error in the bank API')
    return sendProblem(reply, 500, {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: `the bank failed unexpectedly; quote x-fapi-interaction-id ${request.interactionId}`,
    })
  })
}

export const apiScopePlugin = fp(apiScope, { name: 'api-scope' })
