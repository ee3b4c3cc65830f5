/**
 * The access check of a protected resource request, without a web framework: the token in the
 * Authorization header only (FAPI 2.0 SP 5.3.4-1/-2), a valid RFC 9068 JWT of the trusted issuer
 * for this resource server, not revoked, its grant still active (SP 5.3.4-3), and presented by its
 * holder: a DPoP proof with `ath` by the `cnf.jkt` key (RFC 9449 section 7.1) or the certificate
 * of `cnf["x5t#S256"]` on the TLS connection (RFC 8705 section 3). The bank's APIs and its
 * userinfo endpoint both call it.
 */
import type { SenderConstraint } from '@sandbox/spec-types/banking/bank'
import { type AccessTokenClaims, verifyAccessToken } from './access-token.js'
import type { DpopNonces } from './dpop/nonce.js'
import { type VerifiedDpopProof, verifyDpopProof } from './dpop/proof.js'
import { OAuthError, type Rule } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'
import type { JtiStore } from './jti-store.js'
import type { IssuerKeys } from './jwks.js'
import { calculateCertificateThumbprint, checkCertificateBinding } from './mtls.js'

/** What the check reads from one HTTP request. */
export interface ResourceRequest {
  method: string
  /** The URL the client addressed, for the proof's `htu` (query and fragment are ignored). */
  url: string
  /** The Authorization header, if any. */
  authorization: string | undefined
  /** Every DPoP header of the request, unjoined (RFC 9449 section 4.3 step 1 counts them). */
  dpop: readonly string[]
  /** Where an `access_token` parameter came besides the header (RFC 6750 sections 2.2, 2.3). */
  tokenOutsideHeader?: 'query' | 'body' | undefined
  /** The DER client certificate of the TLS connection, when one was presented. */
  certificate?: Uint8Array | undefined
}

/** What the resource server trusts and remembers. */
export interface ResourceServerPolicy {
  /** The binding this bank's tokens carry, which decides the scheme (RFC 9449 section 7.1). */
  senderConstraint: SenderConstraint
  /** The authorization server this resource server trusts (RS-11). */
  issuer: string
  /** This resource server's identifier, which the token's `aud` must name (RS-11). */
  audience: string
  /** The issuer's public JWKS (keep the same object: its imported keys are cached) or a resolver. */
  keys: IssuerKeys
  /** Seconds since the epoch. */
  now: number
  /** Proof jtis seen at this resource server (RFC 9449 section 11.1). */
  seenJti: JtiStore
  /** Present when this resource server demands its own nonces (RFC 9449 section 9). */
  nonces?: DpopNonces | undefined
  /** Is this access token on the authorization server's revocation list (RFC 7009)? */
  isRevoked(jti: string): Promise<boolean>
  /** Why the grant no longer authorizes anything (`revoked`, `expired`, `gone`), or undefined if active. */
  grantInactive(grantId: string): Promise<string | undefined>
}

export interface AuthorizedRequest {
  token: string
  claims: AccessTokenClaims
  /** The verified proof at a DPoP bank. */
  proof?: VerifiedDpopProof | undefined
}

// RFC 9110 section 11.1: the scheme is case-insensitive; RFC 6750 section 2.1: b64token.
const AUTHORIZATION = /^(\S+) ([A-Za-z0-9\-._~+/]+=*)$/

/** The proof checks a verified DPoP proof passed, in the order of RFC 9449 section 4.3. */
const PROOF_RULES: readonly Rule[] = [
  rules.dpopTyp,
  rules.dpopAlg,
  rules.dpopSignature,
  rules.dpopPublicJwk,
  rules.dpopHtm,
  rules.dpopHtu,
  rules.dpopIat,
  rules.dpopAth,
  rules.dpopKeyBinding,
  rules.dpopReplay,
]

/**
 * Authorizes one request to a protected resource and returns the token's claims; what the token
 * permits is the caller's next check. `passed` hears every rule the request satisfied, in order.
 * @throws OAuthError RS-01 (token outside the header, malformed header), RS-03 (no token), RS-06
 * (wrong scheme), RS-07 (no proof), AS-SC-01..14 (the proof), RS-04 and RS-11 (the token, its
 * revocation and grant), RS-09 (certificate)
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.3.4
 */
export async function authorizeResourceRequest(
  request: ResourceRequest,
  policy: ResourceServerPolicy,
  passed: (rule: Rule) => void = () => {},
): Promise<AuthorizedRequest> {
  if (request.tokenOutsideHeader !== undefined) {
    throw new OAuthError(
      rules.resourceTokenOutsideHeader,
      `got access_token in the ${request.tokenOutsideHeader}`,
    )
  }
  const { authorization } = request
  if (authorization === undefined || authorization === '') {
    throw new OAuthError(rules.resourceTokenMissing)
  }
  const match = AUTHORIZATION.exec(authorization)
  if (match === null) throw new OAuthError(rules.resourceAuthorizationMalformed)
  const [, scheme = '', token = ''] = match
  const dpop = policy.senderConstraint === 'dpop'
  if (scheme.toLowerCase() !== (dpop ? 'dpop' : 'bearer')) {
    throw new OAuthError(
      rules.resourceWrongScheme,
      `this bank binds its tokens with ${dpop ? 'DPoP' : 'mTLS'}; got ${scheme.slice(0, 20)}`,
    )
  }
  passed(rules.resourceTokenOutsideHeader)
  const { now } = policy
  const claims = await verifyAccessToken({
    token,
    issuer: policy.issuer,
    audience: policy.audience,
    now,
    keys: policy.keys,
  })
  passed(rules.accessTokenSignature)
  passed(rules.accessTokenIssuer)
  passed(rules.accessTokenAudience)
  passed(rules.accessTokenExpired)
  let proof: VerifiedDpopProof | undefined
  if (claims.cnf.jkt !== undefined) {
    // RS-06: a DPoP-bound token at a bank whose scheme is Bearer never reaches here; one without
    // a proof is refused rather than taken as a bearer token.
    if (request.dpop.length === 0) throw new OAuthError(rules.resourceProofMissing)
    const { nonces } = policy
    proof = await verifyDpopProof(request.dpop, {
      htm: request.method,
      htu: request.url,
      now,
      seenJti: policy.seenJti,
      accessToken: token,
      expectedJkt: claims.cnf.jkt,
      ...(nonces === undefined
        ? {}
        : {
            nonce: {
              check: (value, at) => nonces.checkDpopNonce(value, at),
              issue: (at) => nonces.issueDpopNonce(at),
            },
          }),
    })
    for (const rule of PROOF_RULES) passed(rule)
    if (nonces !== undefined) passed(rules.dpopNonce)
  } else {
    const thumbprint =
      request.certificate === undefined
        ? undefined
        : await calculateCertificateThumbprint(request.certificate)
    checkCertificateBinding(claims.cnf, thumbprint)
    passed(rules.certificateBinding)
  }
  if (await policy.isRevoked(claims.jti)) {
    throw new OAuthError(rules.resourceTokenInvalid, 'the token was revoked')
  }
  if (claims.grant_id !== undefined) {
    const inactive = await policy.grantInactive(claims.grant_id)
    if (inactive !== undefined) {
      throw new OAuthError(rules.resourceTokenInvalid, `its grant is ${inactive}`)
    }
  }
  passed(rules.resourceTokenInvalid)
  return { token, claims, proof }
}
