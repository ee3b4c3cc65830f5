/**
 * The encapsulated context of the bank's back-channel OAuth endpoints (PAR, token, introspection,
 * revocation): form bodies only, the bank resolved from the `{bank}` path segment, and one error
 * handler that answers RFC 6749 section 5.2 JSON errors with `Cache-Control: no-store`.
 * Routes register inside the scope this plugin decorates (STYLE 7.4).
 */
import formBody from '@fastify/formbody'
import { OAuthError, type Rule } from '@sandbox/fapi/errors/oauth-error'
import type { PeerCertificate, PeerCertificateReader } from '@sandbox/service-kit/peer-certificate'
import { OAuthErrorResponseSchema } from '@sandbox/spec-types/oauth/error'
import { ProblemDetailsSchema } from '@sandbox/spec-types/problem'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { BankContext } from '../bank-context.js'
import type { BankDirectory } from '../bank-directory.js'
import { requestRules } from '../rules/request.js'
import { UNKNOWN_BANK_STATUS } from '../unknown-bank.js'
import { rejectionHandler, resolveBank } from './scope-hooks.js'

/** Sandbox policy P (AS-PAR-16): no OAuth request needs more than 64 KiB. */
export const OAUTH_BODY_LIMIT = 64 * 1024

export type Listener = 'public' | 'mtls'

/** Error responses every OAuth route declares: the unknown-bank problem, then RFC 6749 errors. */
export const OAUTH_ERROR_RESPONSES = {
  [UNKNOWN_BANK_STATUS]: ProblemDetailsSchema,
  '4xx': OAuthErrorResponseSchema,
  '5xx': OAuthErrorResponseSchema,
} as const

export interface OAuthScopeOptions {
  directory: BankDirectory
  contexts: ReadonlyMap<string, BankContext>
  publicBaseUrl: string
  listener: Listener
  /** Decides the listener per request where one instance serves both (tests; RFC 8705 aliases). */
  listenerOf?: ((request: FastifyRequest) => Listener) | undefined
  peerCertificate: PeerCertificateReader
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The bank named by the `{bank}` path segment (set before validation). */
    bank: BankContext
    /** Which of bank-op's listeners the request arrived on. */
    listener: Listener
    /** The client certificate of the connection, when the mutual-TLS listener received one. */
    peerCertificate(): PeerCertificate | undefined
  }
  interface FastifyContextConfig {
    /** Which rule answers a schema failure of a parameter, when a specific one exists. */
    parameterRules?: Readonly<Record<string, Rule>>
  }
}

/** Sends an OAuth error body with the headers the rule and the endpoint call for. */
export function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  return reply
    .code(error.rule.status)
    .headers({ ...error.headers, 'cache-control': 'no-store' })
    .type('application/json')
    .send(error.toJSON())
}

/** The parameter a schema failure is about: `/redirect_uri` or a `required` keyword's property. */
function parameterOf(error: FastifyError): string | undefined {
  const [first] = error.validation ?? []
  if (first === undefined) return undefined
  const missing = (first.params as { missingProperty?: unknown }).missingProperty
  if (typeof missing === 'string') return missing
  const name = first.instancePath.split('/')[1]
  return name === undefined || name === '' ? undefined : name
}

/** Turns a fastify schema or parser failure into the OAuth error the specifications name. */
export function oauthErrorFromFastify(error: FastifyError, request: FastifyRequest): OAuthError {
  if (error.validation !== undefined) {
    const parameter = parameterOf(error)
    const body = request.body as Record<string, unknown> | undefined
    if (parameter !== undefined && Array.isArray(body?.[parameter])) {
      return new OAuthError(requestRules.repeatedParameter, `${parameter} was sent more than once`)
    }
    const specific =
      parameter === undefined ? undefined : request.routeOptions.config.parameterRules?.[parameter]
    const message = error.validation[0]?.message ?? 'is invalid'
    return new OAuthError(
      specific ?? requestRules.malformedParameter,
      parameter === undefined ? message : `${parameter} ${message}`,
    )
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) {
    return new OAuthError(
      requestRules.formEncodedOnly,
      `got ${request.headers['content-type'] ?? 'no content type'}`,
    )
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
    return new OAuthError(requestRules.bodyTooLarge, `the limit is ${OAUTH_BODY_LIMIT} bytes`)
  }
  // Any other 4xx fastify raises while reading the request (empty or undecodable body, bad
  // percent-encoding): the request is malformed, never a server error.
  return new OAuthError(requestRules.malformedParameter, error.message)
}

/**
 * What every scope on the back channel shares: form bodies only (RFC 6749 section 3.2, RFC 9126
 * section 2.1; OIDC Core 5.3.1 for userinfo), and each request knowing its bank, its listener and
 * its client certificate.
 */
export async function serveBankRequests(app: FastifyInstance, options: OAuthScopeOptions) {
  const { contexts, directory, publicBaseUrl, listener, listenerOf, peerCertificate } = options
  app.removeAllContentTypeParsers()
  await app.register(formBody, { bodyLimit: OAUTH_BODY_LIMIT })

  app.decorateRequest('bank', null as unknown as BankContext)
  app.decorateRequest('listener', listener)
  app.decorateRequest('peerCertificate', function (this: FastifyRequest) {
    return peerCertificate(this)
  })
  app.addHook(
    'onRequest',
    resolveBank({
      directory,
      contexts,
      publicBaseUrl,
      onResolved:
        listenerOf === undefined
          ? undefined
          : (request) => {
              request.listener = listenerOf(request)
            },
    }),
  )
}

async function oauthScope(app: FastifyInstance, options: OAuthScopeOptions) {
  await serveBankRequests(app, options)

  // AS-CA-01: a client secret is refused before the schema would silently drop it.
  app.addHook('preValidation', async (request) => {
    if ((request.body as Record<string, unknown> | undefined)?.client_secret !== undefined) {
      throw new OAuthError(requestRules.clientSecretRefused, 'got client_secret in the body')
    }
  })

  app.setErrorHandler(
    rejectionHandler({
      send: sendOAuthError,
      fromFastify: oauthErrorFromFastify,
      where: 'an OAuth endpoint',
    }),
  )
}

/** Answers a method the endpoint does not take: 405 with `Allow: POST` (RFC 9110 section 15.5.6). */
export function postOnlyError(): OAuthError {
  return new OAuthError(requestRules.postOnly, 'use POST', { allow: 'POST' })
}

export const oauthScopePlugin = fp(oauthScope, { name: 'oauth-scope' })
