import type { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { resourceChallenge } from '@sandbox/fapi/errors/www-authenticate'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { type OAuthScopeOptions, oauthErrorFromFastify, serveBankRequests } from './oauth-scope.js'
import { rejectionHandler } from './scope-hooks.js'

/** The challenge and status of a failed resource request, with the RFC 6750 error body. */
function sendChallenge(reply: FastifyReply, error: OAuthError): FastifyReply {
  const constraint = reply.request.bank?.bank.profile.senderConstraint ?? 'dpop'
  const { status, headers, bare } = resourceChallenge(error, constraint)
  reply.code(status).headers(headers).header('cache-control', 'no-store')
  // RFC 6750 section 3.1: a request without credentials gets the bare challenge, no error code.
  return bare ? reply.send() : reply.type('application/json').send(error.toJSON())
}

async function protectedResourceScope(app: FastifyInstance, options: OAuthScopeOptions) {
  // OIDC Core section 5.3.1: GET, or POST with a form body (which must not carry the token).
  await serveBankRequests(app, options)

  app.setErrorHandler(
    rejectionHandler({
      send: sendChallenge,
      fromFastify: oauthErrorFromFastify,
      where: 'a protected resource',
    }),
  )
}

export const protectedResourceScopePlugin = fp(protectedResourceScope, {
  name: 'protected-resource-scope',
})
