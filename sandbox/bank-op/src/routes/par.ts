/**
 * `POST /{bank}/par`: pushed authorization requests (RFC 9126 section 2), required for every
 * authorization at every bank (FAPI 2.0 SP 5.3.2.2-2/-3).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { rules } from '@sandbox/fapi/errors/rules'
import { verifyRequestObject } from '@sandbox/fapi/request-object'
import {
  ParRequestSchema,
  ParResponseSchema,
  REQUEST_URI_PREFIX,
} from '@sandbox/spec-types/oauth/par'
import Type from 'typebox'
import { checkAuthorizationRequest } from '../checks/check-authorization-request.js'
import { checkClientAuthentication } from '../checks/check-client-authentication.js'
import { checkDpopProof, offerDpopNonce } from '../checks/check-dpop.js'
import { ENDPOINT_PATHS } from '../metadata.js'
import { OAUTH_ERROR_RESPONSES, postOnlyError } from '../plugins/oauth-scope.js'
import { randomToken } from '../random.js'
import { parRules } from '../rules/par.js'

/** FAPI 2.0 SP 5.3.2.2-12 allows up to 600 s; the sandbox keeps the 60 s the issue sets. */
export const REQUEST_URI_LIFETIME_SECONDS = 60

const PATH = ENDPOINT_PATHS.pushed_authorization_request_endpoint

export const parRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    `/:bank${PATH}`,
    {
      schema: {
        params: Type.Object({ bank: Type.String() }),
        body: ParRequestSchema,
        response: { 201: ParResponseSchema, ...OAUTH_ERROR_RESPONSES },
      },
      config: {
        step: 'par',
        parameterRules: {
          redirect_uri: parRules.redirectUriRequired,
          code_challenge: rules.pkceS256,
          code_challenge_method: rules.pkceS256,
          response_type: parRules.responseTypeCode,
        },
      },
      // RFC 9126 section 2.1: request_uri must not be pushed. Checked before the schema drops it.
      preValidation: async (request) => {
        const raw = request.body as Record<string, unknown> | undefined
        if (raw?.request_uri !== undefined) throw new OAuthError(parRules.requestUriPushed)
      },
    },
    async (request, reply) => {
      const { bank } = request
      const body = request.body
      const { client } = await checkClientAuthentication(request, body)
      const proof = await checkDpopProof(request, PATH, { required: false })
      // FAPI 2.0 MS 5.3.1-1: a bank or client set up for message signing requires a request
      // object; any client may send one. Then only its contents count (RFC 9101 section 6.3).
      const signed =
        body.request !== undefined ||
        bank.bank.profile.requireSignedRequestObject ||
        client.metadata.require_signed_request_object === true
      const parameters = signed
        ? await verifyRequestObject({
            request: body.request,
            clientId: client.clientId,
            formClientId: body.client_id,
            issuer: bank.issuer,
            now: bank.now(),
            getClientJwks: () => bank.clientJwks(client),
            seenJti: bank.seenJti,
          })
        : body
      if (signed) request.trace.verified('request')
      const pushed = checkAuthorizationRequest(parameters, client, bank, proof?.jkt)
      for (const rule of [
        parRules.responseTypeCode,
        parRules.redirectUriRegistered,
        rules.pkceS256,
        parRules.responseMode,
      ]) {
        request.trace.pass(rule)
      }
      const now = bank.now()
      const requestUri = `${REQUEST_URI_PREFIX}${randomToken(bank.random)}`
      const expiresAt = now + REQUEST_URI_LIFETIME_SECONDS
      const interaction = request.headers['x-fapi-interaction-id']
      const flowId = typeof interaction === 'string' ? interaction.slice(0, 64) : undefined
      bank.pushedRequests.set(
        requestUri,
        { ...pushed, flowId, pushedAt: now, expiresAt },
        expiresAt,
      )
      await offerDpopNonce(request, reply)
      // RFC 9126 section 2.2: 201 Created, never cached.
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ request_uri: requestUri, expires_in: REQUEST_URI_LIFETIME_SECONDS })
    },
  )
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: `/:bank${PATH}`,
    handler: async () => {
      throw postOnlyError()
    },
  })
}
