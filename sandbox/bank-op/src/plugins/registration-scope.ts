/**
 * The encapsulated context of dynamic client registration (RFC 7591 section 3) and client
 * management (RFC 7592 section 2): JSON bodies only, the bank resolved from the `{bank}` path
 * segment, and one error handler that answers RFC 7591 section 3.2.2 errors with
 * `Cache-Control: no-store`, naming the metadata member a schema failure is about.
 */
import { OAuthError, type Rule } from '@sandbox/fapi/errors/oauth-error'
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { BankContext } from '../bank-context.js'
import type { BankDirectory } from '../bank-directory.js'
import { registrationRules } from '../rules/registration.js'
import { sendOAuthError } from './oauth-scope.js'
import { rejectionHandler, resolveBank } from './scope-hooks.js'

/** Sandbox policy: client metadata (with an inline JWKS of a few keys) fits in 64 KiB. */
export const REGISTRATION_BODY_LIMIT = 64 * 1024

export interface RegistrationScopeOptions {
  directory: BankDirectory
  contexts: ReadonlyMap<string, BankContext>
  publicBaseUrl: string
}

/** The metadata member a failure is about: `/grant_types/0` → grant_types, or a missing property. */
function memberOf(error: FastifyError): string | undefined {
  const [first] = error.validation ?? []
  if (first === undefined) return undefined
  const missing = (first.params as { missingProperty?: unknown }).missingProperty
  if (typeof missing === 'string') return missing
  const name = first.instancePath.split('/')[1]
  return name === undefined || name === '' ? undefined : name
}

/** Which rule a schema failure of a member breaks (RFC 7591 section 3.2.2 error codes). */
function ruleForMember(member: string): Rule {
  if (member === 'redirect_uris') return registrationRules.redirectUriForm
  if (member === 'token_endpoint_auth_method') return registrationRules.authMethod
  if (member === 'grant_types' || member === 'response_types') return registrationRules.grantTypes
  if (member.endsWith('_alg')) return registrationRules.signingAlg
  if (member === 'jwks' || member === 'jwks_uri') return registrationRules.clientKeys
  return registrationRules.clientMetadata
}

/** Turns a schema or parser failure into the RFC 7591 error that names what is wrong. */
export function registrationErrorFromFastify(error: FastifyError, request: FastifyRequest) {
  const [first] = error.validation ?? []
  if (first !== undefined) {
    // RFC 7591 section 2: jwks and jwks_uri MUST NOT both be present (the schema's `not`).
    if (first.keyword === 'not' && first.instancePath === '') {
      return new OAuthError(registrationRules.jwksForMethod, 'jwks and jwks_uri were both sent')
    }
    const member = memberOf(error)
    if (member === undefined) {
      return new OAuthError(registrationRules.jsonBody, `the body ${first.message ?? 'is invalid'}`)
    }
    const path = first.instancePath === '' ? member : first.instancePath.slice(1)
    return new OAuthError(ruleForMember(member), `${path} ${first.message ?? 'is invalid'}`)
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
    return new OAuthError(
      registrationRules.bodyTooLarge,
      `the limit is ${REGISTRATION_BODY_LIMIT} bytes`,
    )
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) {
    return new OAuthError(
      registrationRules.jsonBody,
      `got ${request.headers['content-type'] ?? 'no content type'}`,
    )
  }
  // Any other 4xx while reading the request (empty body, broken JSON): the request is malformed.
  return new OAuthError(registrationRules.jsonBody, error.message)
}

async function registrationScope(app: FastifyInstance, options: RegistrationScopeOptions) {
  const { contexts, directory, publicBaseUrl } = options

  // RFC 7591 section 3.1: the request is a JSON document; fastify's text parser goes.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: REGISTRATION_BODY_LIMIT },
    app.getDefaultJsonParser('error', 'error'),
  )

  app.decorateRequest('bank', null as unknown as BankContext)

  app.addHook('onRequest', resolveBank({ directory, contexts, publicBaseUrl }))

  app.setErrorHandler(
    rejectionHandler({
      send: sendOAuthError,
      fromFastify: registrationErrorFromFastify,
      where: 'client registration',
    }),
  )
}

export const registrationScopePlugin = fp(registrationScope, { name: 'registration-scope' })
