/**
 * `GET /{bank}/jwks`: the bank's public signing keys, its `jwks_uri` (RFC 8414 section 2;
 * RFC 7517 section 5; FAPI 2.0 SP 5.4.2: public keys only).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PublicJwkSchema } from '@sandbox/spec-types/oauth/jwks'
import { PROBLEM_JSON_MEDIA_TYPE, ProblemDetailsSchema } from '@sandbox/spec-types/problem'
import Type from 'typebox'
import type { BankDirectory } from '../bank-directory.js'
import { UNKNOWN_BANK_STATUS, unknownBankProblem } from '../unknown-bank.js'

/** RFC 7517 section 8.5.1. */
export const JWK_SET_MEDIA_TYPE = 'application/jwk-set+json'

/**
 * How long clients may cache the set. A next key is published at least this long before it signs
 * (rotation is a deliberate act, never automatic), so a cached set always holds the signing key.
 */
export const JWKS_CACHE_CONTROL = 'public, max-age=300'

/**
 * spec-types' public JWK with the members each key type adds (RFC 7518 sections 6.2.1 and 6.3.1)
 * spelled out and nothing else allowed: the serializer itself drops any private member.
 */
const PublishedJwkSchema = Type.Object(
  {
    ...PublicJwkSchema.properties,
    crv: Type.Optional(Type.String()),
    x: Type.Optional(Type.String()),
    y: Type.Optional(Type.String()),
    n: Type.Optional(Type.String()),
    e: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)

const PublishedJwksSchema = Type.Object(
  // The same bounds as spec-types' PublicJwks (at least one key, at most twenty).
  { keys: Type.Array(PublishedJwkSchema, { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
)

export interface JwksRouteOptions {
  directory: BankDirectory
  publicBaseUrl: string
}

export const jwksRoutes: FastifyPluginAsyncTypebox<JwksRouteOptions> = async (app, options) => {
  const { directory, publicBaseUrl } = options
  app.get(
    '/:bank/jwks',
    {
      schema: {
        params: Type.Object({ bank: Type.String() }),
        response: { 200: PublishedJwksSchema, [UNKNOWN_BANK_STATUS]: ProblemDetailsSchema },
      },
    },
    async (request, reply) => {
      const hosted = directory.find(request.params.bank)
      if (!hosted) {
        return reply
          .code(UNKNOWN_BANK_STATUS)
          .type(PROBLEM_JSON_MEDIA_TYPE)
          .send(unknownBankProblem(directory, request.params.bank, publicBaseUrl))
      }
      return reply
        .type(JWK_SET_MEDIA_TYPE)
        .header('cache-control', JWKS_CACHE_CONTROL)
        .send(hosted.keys.publicJwks())
    },
  )
}
