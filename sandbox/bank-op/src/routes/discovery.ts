/**
 * Discovery: each bank's metadata at the well-known URLs of RFC 8414 section 3 and OpenID
 * Connect Discovery 1.0 section 4 (FAPI 2.0 SP 5.3.2.1-1).
 *
 * The issuers have a path (`https://host/{bank}`), and the two specifications place the
 * well-known segment differently for such issuers:
 * - RFC 8414 section 3.1 inserts it between host and path:
 *   `GET /.well-known/oauth-authorization-server/{bank}`;
 * - OIDC Discovery section 4 appends it to the issuer: `GET /{bank}/.well-known/openid-configuration`.
 * Many OAuth clients also append the RFC 8414 name (the pre-RFC 8414 habit RFC 8414 section 5
 * acknowledges), so `GET /{bank}/.well-known/oauth-authorization-server` answers too. All three
 * return the same document.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuthorizationServerMetadataSchema } from '@sandbox/spec-types/oauth/as-metadata'
import { PROBLEM_JSON_MEDIA_TYPE, ProblemDetailsSchema } from '@sandbox/spec-types/problem'
import Type from 'typebox'
import type { BankDirectory } from '../bank-directory.js'
import { buildMetadata } from '../metadata.js'
import { UNKNOWN_BANK_STATUS, unknownBankProblem } from '../unknown-bank.js'

/**
 * Metadata may be cached (RFC 8414 section 3.2 responses are ordinary cacheable 200s), briefly:
 * the console can change a bank's profile, and a demo should see the change within minutes.
 */
export const METADATA_CACHE_CONTROL = 'public, max-age=300'

export const WELL_KNOWN_PATHS = {
  /** RFC 8414 section 3.1: well-known segment inserted before the issuer path. */
  rfc8414: '/.well-known/oauth-authorization-server/:bank',
  /** OIDC Discovery section 4: appended to the issuer. */
  openidConfiguration: '/:bank/.well-known/openid-configuration',
  /** RFC 8414 name appended to the issuer, for clients that build the URL that way. */
  rfc8414Appended: '/:bank/.well-known/oauth-authorization-server',
} as const

export interface DiscoveryRouteOptions {
  directory: BankDirectory
  publicBaseUrl: string
  mtlsBaseUrl?: string | undefined
}

export const discoveryRoutes: FastifyPluginAsyncTypebox<DiscoveryRouteOptions> = async (
  app,
  options,
) => {
  const { directory, publicBaseUrl, mtlsBaseUrl } = options
  const schema = {
    params: Type.Object({ bank: Type.String() }),
    response: {
      200: AuthorizationServerMetadataSchema,
      [UNKNOWN_BANK_STATUS]: ProblemDetailsSchema,
    },
  }
  for (const path of Object.values(WELL_KNOWN_PATHS)) {
    app.get(path, { schema }, async (request, reply) => {
      const hosted = directory.find(request.params.bank)
      if (!hosted) {
        return reply
          .code(UNKNOWN_BANK_STATUS)
          .type(PROBLEM_JSON_MEDIA_TYPE)
          .send(unknownBankProblem(directory, request.params.bank, publicBaseUrl))
      }
      return reply
        .type('application/json')
        .header('cache-control', METADATA_CACHE_CONTROL)
        .send(buildMetadata(hosted.bank, { issuer: hosted.issuer, mtlsBaseUrl }))
    })
  }
}
