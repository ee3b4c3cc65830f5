/**
 * `POST /{bank}/introspect`: token introspection (RFC 7662) for the bank's access and refresh
 * tokens, answered as JSON or, when the caller asks with `Accept`, as a signed JWT (RFC 9701;
 * FAPI 2.0 MS 5.5.1). A client learns only about tokens issued to it; any other token reads as
 * inactive (sandbox policy for MS-JIR-01).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { createIntrospectionJwt, INTROSPECTION_JWT_TYP } from '@sandbox/fapi/introspection'
import { COMPACT_JWS_PATTERN } from '@sandbox/spec-types/oauth/client-authentication'
import {
  IntrospectionRequestSchema,
  IntrospectionResponseSchema,
} from '@sandbox/spec-types/oauth/introspection'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import Type from 'typebox'
import type { BankContext } from '../bank-context.js'
import { checkClientAuthentication } from '../checks/check-client-authentication.js'
import { BANK_SIGNING_ALGS, type BankSigningAlg } from '../keys/key-ring.js'
import { ENDPOINT_PATHS } from '../metadata.js'
import { OAUTH_ERROR_RESPONSES } from '../plugins/oauth-scope.js'
import { introspectionRules } from '../rules/introspection.js'
import { findPresentedToken } from '../tokens/presented-token.js'
import { introspectToken } from '../tokens/token-introspection.js'

const PATH = ENDPOINT_PATHS.introspection_endpoint

/** RFC 9701 section 5: the media type of a signed introspection response. */
export const INTROSPECTION_JWT_MEDIA_TYPE = `application/${INTROSPECTION_JWT_TYP}`

/** Does the Accept header name the JWT response (RFC 9701 section 4; RFC 9110 section 12.5.1)? */
export function acceptsIntrospectionJwt(accept: string | undefined): boolean {
  if (accept === undefined) return false
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase())
    return type === INTROSPECTION_JWT_MEDIA_TYPE && !params.includes('q=0')
  })
}

/** RFC 9701 section 6: the client's registered algorithm, else the bank's default key. */
function signingKeyFor(bank: BankContext, client: ClientRecord) {
  const registered = client.metadata.introspection_signed_response_alg
  // Registration admits only the algorithms the bank holds keys for (rules/registration.ts).
  const alg = BANK_SIGNING_ALGS.find((candidate: BankSigningAlg) => candidate === registered)
  const { privateKey, kid, alg: signedWith } = bank.keys.signingKey(alg)
  return { key: privateKey, kid, alg: signedWith }
}

export const introspectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    `/:bank${PATH}`,
    {
      schema: {
        params: Type.Object({ bank: Type.String() }),
        body: IntrospectionRequestSchema,
        response: {
          200: {
            content: {
              'application/json': { schema: IntrospectionResponseSchema },
              [INTROSPECTION_JWT_MEDIA_TYPE]: {
                schema: Type.String({ pattern: COMPACT_JWS_PATTERN }),
              },
            },
          },
          ...OAUTH_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { bank } = request
      const { client } = await checkClientAuthentication(request, request.body)
      const { token, token_type_hint: hint } = request.body
      const presented = await findPresentedToken(bank, token, hint)
      const introspection = await introspectToken(bank, presented, client.clientId)
      // RFC 7662 section 2.2 answers describe a credential: never cached, and they vary by Accept.
      reply.headers({ 'cache-control': 'no-store', vary: 'accept' })
      if (!acceptsIntrospectionJwt(request.headers.accept)) return reply.send(introspection)
      const jwt = await createIntrospectionJwt({
        issuer: bank.issuer,
        clientId: client.clientId,
        now: bank.now(),
        key: signingKeyFor(bank, client),
        introspection,
      })
      return reply.type(INTROSPECTION_JWT_MEDIA_TYPE).send(jwt)
    },
  )
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: `/:bank${PATH}`,
    handler: async () => {
      throw new OAuthError(introspectionRules.postOnly, 'use POST', { allow: 'POST' })
    },
  })
}
