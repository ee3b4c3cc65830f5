/**
 * An access token presented to one of the bank's protected resources (userinfo): in the
 * Authorization header only (FAPI 2.0 SP 5.3.4-1/-2), a valid RFC 9068 JWT of this bank, not
 * revoked, its grant still active (SP 5.3.4-3), and presented by its holder: a DPoP proof with
 * `ath` by the `cnf.jkt` key (RFC 9449 section 7.1), or the `cnf["x5t#S256"]` certificate over
 * mutual TLS (RFC 8705 section 3).
 */
import { type AccessTokenClaims, verifyAccessToken } from '@sandbox/fapi/access-token'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { calculateCertificateThumbprint } from '@sandbox/fapi/mtls'
import { effectiveStatus } from '@sandbox/store/repositories/grants'
import type { FastifyRequest } from 'fastify'
import type { BankContext } from '../bank-context.js'
import type { BankKeys } from '../keys/bank-keys.js'
import { userinfoRules } from '../rules/userinfo.js'
import { checkDpopProof } from './check-dpop.js'

// RFC 9110 section 11.1: the scheme is case-insensitive; RFC 6750 section 2.1: b64token.
const AUTHORIZATION = /^(\S+) ([A-Za-z0-9\-._~+/]+=*)$/

// One JWKS object per bank while its kids stay the same: the kit caches the imported keys per
// object, so verification imports each bank key once, and again only after a rotation.
type PublishedJwks = ReturnType<BankKeys['publicJwks']>
const publishedKeys = new WeakMap<BankContext, { kids: string; jwks: PublishedJwks }>()

function bankJwks(bank: BankContext): PublishedJwks {
  const jwks = bank.keys.publicJwks()
  const kids = jwks.keys.map((key) => key.kid).join(' ')
  const cached = publishedKeys.get(bank)
  if (cached !== undefined && cached.kids === kids) return cached.jwks
  publishedKeys.set(bank, { kids, jwks })
  return jwks
}

/** RFC 6750 sections 2.2 and 2.3: the forms FAPI 2.0 SP 5.3.4-2 and the sandbox (P) refuse. */
function checkTokenOutsideHeader(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown> | undefined
  const body = request.body as Record<string, unknown> | undefined
  if (query?.access_token !== undefined || body?.access_token !== undefined) {
    throw new OAuthError(
      userinfoRules.tokenOutsideHeader,
      `got access_token in the ${query?.access_token !== undefined ? 'query' : 'body'}`,
    )
  }
}

/**
 * Authenticates the access token of a request to the bank's endpoint at `path`.
 * @throws OAuthError RS-01 (token outside the header, malformed header), RS-03 (no token), RS-06
 * (wrong scheme), RS-07 (no proof), AS-SC-01..12 (proof), RS-04 and RS-11 (token, revocation,
 * grant), RS-09 (certificate)
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.3.4
 */
export async function checkAccessToken(
  request: FastifyRequest,
  path: string,
): Promise<AccessTokenClaims> {
  const { bank } = request
  checkTokenOutsideHeader(request)
  const authorization = request.headers.authorization
  if (authorization === undefined || authorization === '') {
    throw new OAuthError(userinfoRules.tokenMissing)
  }
  const match = AUTHORIZATION.exec(authorization)
  if (match === null) throw new OAuthError(userinfoRules.authorizationMalformed)
  const [, scheme = '', token = ''] = match
  const dpop = bank.bank.profile.senderConstraint === 'dpop'
  const expectedScheme = dpop ? 'dpop' : 'bearer'
  if (scheme.toLowerCase() !== expectedScheme) {
    throw new OAuthError(
      userinfoRules.wrongScheme,
      `this bank binds its tokens with ${dpop ? 'DPoP' : 'mTLS'}`,
    )
  }
  const now = bank.now()
  const claims = await verifyAccessToken({
    token,
    issuer: bank.issuer,
    audience: bank.resourceServer,
    now,
    keys: bankJwks(bank),
  })
  if ('jkt' in claims.cnf && claims.cnf.jkt !== undefined) {
    if (request.headers.dpop === undefined) throw new OAuthError(userinfoRules.proofMissing)
    await checkDpopProof(request, path, {
      required: true,
      accessToken: token,
      expectedJkt: claims.cnf.jkt,
    })
  } else {
    const certificate = request.listener === 'mtls' ? request.peerCertificate() : undefined
    const thumbprint =
      certificate === undefined ? undefined : await calculateCertificateThumbprint(certificate.der)
    if (thumbprint === undefined || thumbprint !== claims.cnf['x5t#S256']) {
      throw new OAuthError(
        userinfoRules.certificateBinding,
        certificate === undefined ? 'no certificate was presented' : 'another certificate',
      )
    }
  }
  if (await bank.store.revokedAccessTokens.isRevoked(claims.jti)) {
    throw new OAuthError(userinfoRules.tokenInvalid, 'the token was revoked')
  }
  if (claims.grant_id !== undefined) {
    const grant = await bank.store.grants.get(claims.grant_id)
    if (grant === undefined || effectiveStatus(grant, now) !== 'active') {
      throw new OAuthError(userinfoRules.tokenInvalid, `its grant is ${grant?.status ?? 'gone'}`)
    }
  }
  return claims
}
