import type { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import {
  DPOP_ALGS,
  renderChallenge,
  resourceServerDpopError,
} from '@sandbox/fapi/errors/www-authenticate'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { userinfoRules } from '../rules/userinfo.js'
import { type OAuthScopeOptions, oauthErrorFromFastify, serveBankRequests } from './oauth-scope.js'
import { rejectionHandler } from './scope-hooks.js'

/** The challenge and status of a failed resource request. */
function sendChallenge(reply: FastifyReply, error: OAuthError): FastifyReply {
  const dpop = reply.request.bank?.bank.profile.senderConstraint === 'dpop'
  reply.header('cache-control', 'no-store')
  // RFC 6750 section 3.1: a request without credentials gets the bare challenge, no error code.
  if (error.rule === userinfoRules.tokenMissing) {
    return reply
      .code(error.rule.status)
      .header(
        'www-authenticate',
        renderChallenge(dpop ? { scheme: 'DPoP', algs: DPOP_ALGS } : { scheme: 'Bearer' }),
      )
      .send()
  }
  // Proof failures carry the AS status in the kit; the RS form is 401 (RFC 9449 sections 7.1, 9).
  if (
    dpop &&
    (error.rule.error === 'invalid_dpop_proof' || error.rule.error === 'use_dpop_nonce')
  ) {
    const { status, headers } = resourceServerDpopError(error)
    return reply.code(status).headers(headers).type('application/json').send(error.toJSON())
  }
  const challenge = renderChallenge({
    scheme: dpop ? 'DPoP' : 'Bearer',
    error: error.rule.error,
    error_description: error.message,
    ...(dpop ? { algs: DPOP_ALGS } : {}),
  })
  return reply
    .code(error.rule.status)
    .headers({ ...error.headers, 'www-authenticate': challenge })
    .type('application/json')
    .send(error.toJSON())
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
