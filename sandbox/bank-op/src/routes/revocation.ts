/**
 * `POST /{bank}/revoke`: token revocation (RFC 7009). Revoking a refresh token ends its grant,
 * and with the grant every access and refresh token issued under it (RFC 7009 section 2.1: the AS
 * SHOULD invalidate access tokens of the same grant). Revoking an access token ends that token
 * only: section 2.1 lets the AS also revoke the grant (MAY), and the bank does not, so a client
 * discarding a short-lived token does not end the customer's consent; the grant ends through its
 * refresh token or grant management.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { RevocationRequestSchema } from '@sandbox/spec-types/oauth/revocation'
import Type from 'typebox'
import type { BankContext } from '../bank-context.js'
import { checkClientAuthentication } from '../checks/check-client-authentication.js'
import { ENDPOINT_PATHS } from '../metadata.js'
import { OAUTH_ERROR_RESPONSES } from '../plugins/oauth-scope.js'
import { revocationRules } from '../rules/revocation.js'
import { findPresentedToken, type PresentedToken } from '../tokens/presented-token.js'

const PATH = ENDPOINT_PATHS.revocation_endpoint

/** The reason the grant record keeps when a client revokes its refresh token. */
export const REFRESH_TOKEN_REVOKED_REASON = 'refresh token revoked by the client'

async function revoke(bank: BankContext, presented: PresentedToken): Promise<void> {
  if (presented.kind === 'refresh_token') {
    await bank.store.grants.revoke(
      presented.record.grantId,
      bank.now(),
      REFRESH_TOKEN_REVOKED_REASON,
    )
    return
  }
  // Listed until it would have expired anyway; the resource server checks the list (RS-04).
  await bank.store.revokedAccessTokens.revoke(presented.claims.jti, presented.claims.exp)
}

export const revocationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    `/:bank${PATH}`,
    {
      schema: {
        params: Type.Object({ bank: Type.String() }),
        body: RevocationRequestSchema,
        response: {
          200: Type.Unsafe<void>({ description: 'RFC 7009 section 2.2: success, no content' }),
          ...OAUTH_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { bank } = request
      const { client } = await checkClientAuthentication(request, request.body)
      const { token, token_type_hint: hint } = request.body
      const presented = await findPresentedToken(bank, token, hint)
      // RFC 7009 section 2.2: an unknown, expired or malformed token is answered 200 all the same.
      if (presented !== undefined) {
        if (presented.clientId !== client.clientId) {
          throw new OAuthError(revocationRules.otherClientsToken, 'it was issued to another client')
        }
        await revoke(bank, presented)
      }
      return reply.code(200).header('cache-control', 'no-store').send()
    },
  )
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: `/:bank${PATH}`,
    handler: async () => {
      throw new OAuthError(revocationRules.postOnly, 'use POST', { allow: 'POST' })
    },
  })
}
