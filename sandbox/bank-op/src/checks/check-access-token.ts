/**
 * An access token presented to one of the bank's protected resources (userinfo): in the
 * Authorization header only (FAPI 2.0 SP 5.3.4-1/-2), a valid RFC 9068 JWT of this bank, not
 * revoked, its grant still active (SP 5.3.4-3), and presented by its holder: a DPoP proof with
 * `ath` by the `cnf.jkt` key (RFC 9449 section 7.1), or the `cnf["x5t#S256"]` certificate over
 * mutual TLS (RFC 8705 section 3).
 */
import type { AccessTokenClaims } from '@sandbox/fapi/access-token'
import { authorizeResourceRequest } from '@sandbox/fapi/resource-request'
import { resourceRequestOf } from '@sandbox/service-kit/resource-request'
import { effectiveStatus } from '@sandbox/store/repositories/grants'
import type { FastifyRequest } from 'fastify'
import { endpointUrl } from '../bank-context.js'

/**
 * Authorizes the access token of a request to the bank's protected resource at `path`.
 * @throws OAuthError as {@link authorizeResourceRequest} does
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.3.4
 */
export async function checkAccessToken(
  request: FastifyRequest,
  path: string,
): Promise<AccessTokenClaims> {
  const { bank } = request
  const now = bank.now()
  const mtls = request.listener === 'mtls'
  const { claims, proof } = await authorizeResourceRequest(
    resourceRequestOf(
      request,
      endpointUrl(bank, path, mtls),
      mtls ? request.peerCertificate()?.der : undefined,
    ),
    {
      senderConstraint: bank.bank.profile.senderConstraint,
      issuer: bank.issuer,
      audience: bank.resourceServer,
      // The same object until the keys change (bank-keys.ts), so its imported keys stay cached.
      keys: bank.keys.publicJwks(),
      now,
      seenJti: bank.seenJti,
      nonces: bank.dpopNonces,
      isRevoked: (jti) => bank.store.revokedAccessTokens.isRevoked(jti),
      grantInactive: async (grantId) => {
        const grant = await bank.store.grants.get(grantId)
        if (grant === undefined) return 'gone'
        const status = effectiveStatus(grant, now)
        return status === 'active' ? undefined : status
      },
    },
    (rule) => request.trace.pass(rule),
  )
  request.trace.verified('access token')
  if (proof !== undefined) request.trace.verified('DPoP header')
  return claims
}
