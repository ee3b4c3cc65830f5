/**
 * `GET|POST /{bank}/userinfo`: the UserInfo endpoint (OIDC Core section 5.3), a protected resource
 * answering the claims of the customer behind an access token granted `openid`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { rules } from '@sandbox/fapi/errors/rules'
import { type UserinfoResponse, UserinfoResponseSchema } from '@sandbox/spec-types/oauth/userinfo'
import type { CustomerRecord } from '@sandbox/store/repositories/customers'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'
import { checkAccessToken } from '../checks/check-access-token.js'
import { offerDpopNonce } from '../checks/check-dpop.js'
import { hasScope } from '../grants/token-issue.js'
import { ENDPOINT_PATHS } from '../metadata.js'
import { OAUTH_ERROR_RESPONSES } from '../plugins/oauth-scope.js'
import { userinfoRules } from '../rules/userinfo.js'

const PATH = ENDPOINT_PATHS.userinfo_endpoint

/** OIDC Core section 5.1: the standard claims the bank holds for a customer. */
function standardClaims(customer: CustomerRecord): UserinfoResponse {
  return {
    sub: customer.id,
    name: `${customer.givenName} ${customer.familyName}`,
    given_name: customer.givenName,
    family_name: customer.familyName,
    email: customer.email,
  }
}

async function userinfo(request: FastifyRequest, reply: FastifyReply) {
  const claims = await checkAccessToken(request, PATH)
  if (!hasScope(claims.scope, 'openid')) {
    throw new OAuthError(userinfoRules.openidRequired, 'the token was not granted openid')
  }
  const customer = await request.bank.store.customers.get(claims.sub)
  if (customer === undefined) {
    throw new OAuthError(rules.resourceTokenInvalid, 'its subject is no longer a customer')
  }
  await offerDpopNonce(request, reply)
  // OIDC Core section 5.3.2 responses carry personal data: never cached.
  return reply.header('cache-control', 'no-store').send(standardClaims(customer))
}

export const userinfoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const schema = {
    params: Type.Object({ bank: Type.String() }),
    response: { 200: UserinfoResponseSchema, ...OAUTH_ERROR_RESPONSES },
  }
  app.get(`/:bank${PATH}`, { schema }, userinfo)
  app.post(`/:bank${PATH}`, { schema }, userinfo)
}
