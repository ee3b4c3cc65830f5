/**
 * `POST /{bank}/token`: the token endpoint (RFC 6749 section 3.2) for the code, refresh token and
 * client credentials grants, issuing sender-constrained JWT access tokens only (FAPI 2.0 SP
 * 5.3.2.1-4; RFC 9449 section 5; RFC 8705 section 3; RFC 9068).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { rules } from '@sandbox/fapi/errors/rules'
import {
  GRANT_TYPES,
  type TokenRequest,
  TokenRequestSchema,
  TokenResponseSchema,
} from '@sandbox/spec-types/oauth/token'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { checkClientAuthentication } from '../checks/check-client-authentication.js'
import { offerDpopNonce } from '../checks/check-dpop.js'
import { checkTokenBinding, type TokenBinding } from '../checks/check-token-binding.js'
import { redeemAuthorizationCode } from '../grants/authorization-code.js'
import { grantClientCredentials } from '../grants/client-credentials.js'
import { redeemRefreshToken, registeredGrantTypes } from '../grants/refresh-token.js'
import type { TokenIssue } from '../grants/token-issue.js'
import { ENDPOINT_PATHS } from '../metadata.js'
import { OAUTH_ERROR_RESPONSES, postOnlyError } from '../plugins/oauth-scope.js'
import { tokenRules } from '../rules/token.js'
import { createTokenResponse } from '../tokens/token-response.js'

const PATH = ENDPOINT_PATHS.token_endpoint

const supportedGrantTypes: readonly unknown[] = GRANT_TYPES

function grantTokens(
  request: FastifyRequest,
  body: TokenRequest,
  client: ClientRecord,
  binding: TokenBinding,
): Promise<TokenIssue> | TokenIssue {
  switch (body.grant_type) {
    case 'authorization_code':
      return redeemAuthorizationCode(request.bank, body, client, binding)
    case 'refresh_token':
      return redeemRefreshToken(request.bank, body, client, binding)
    case 'client_credentials':
      return grantClientCredentials(body, client)
  }
}

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    `/:bank${PATH}`,
    {
      schema: {
        params: Type.Object({ bank: Type.String() }),
        body: TokenRequestSchema,
        response: { 200: TokenResponseSchema, ...OAUTH_ERROR_RESPONSES },
      },
      config: {
        parameterRules: {
          redirect_uri: tokenRules.redirectUriRequired,
          code_verifier: rules.pkceVerifier,
        },
      },
      // RFC 6749 section 5.2: a grant type the bank does not know (password, implicit's `token`,
      // anything else) is unsupported_grant_type, not a schema error. SP 5.3.2.1-2.
      preValidation: async (request) => {
        const grantType = (request.body as Record<string, unknown> | undefined)?.grant_type
        if (typeof grantType === 'string' && !supportedGrantTypes.includes(grantType)) {
          throw new OAuthError(tokenRules.unsupportedGrantType, `got ${echo(grantType)}`)
        }
      },
    },
    async (request, reply) => {
      const { body } = request
      const authenticated = await checkClientAuthentication(request, body)
      const { client } = authenticated
      if (!registeredGrantTypes(client).includes(body.grant_type)) {
        throw new OAuthError(
          tokenRules.grantTypeNotRegistered,
          `client ${echo(client.clientId)} registered ${registeredGrantTypes(client).join(', ')}`,
        )
      }
      // Before any code or refresh token is read: a failing proof must not consume them.
      const binding = await checkTokenBinding(request, PATH, authenticated)
      const issue = await grantTokens(request, body, client, binding)
      const response = await createTokenResponse(request.bank, client, binding, issue)
      await offerDpopNonce(request, reply)
      // RFC 6749 section 5.1: token responses are never cached.
      return reply.header('cache-control', 'no-store').send(response)
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
