/** JWT responses for token introspection (RFC 9701 with RFC 7662; FAPI 2.0 MS 5.5): signing at the AS, verifying at the RS. */
import { SignJWT } from 'jose'
import { checkSkewSetting, DEFAULT_SKEW_SECONDS } from './clock.js'
import { echo } from './errors/describe.js'
import { OAuthError } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'
import { type IssuerKeys, issuerKeyResolver } from './jwks.js'
import { verifyCompactJws } from './jws.js'
import { type SigningKey, signingHeader } from './signing-key.js'

/** RFC 9701 section 5: the explicit type, also the response media type `application/…`. */
export const INTROSPECTION_JWT_TYP = 'token-introspection+jwt'

/** Sandbox policy P: an RS accepts a signed introspection response up to 60 s after `iat`. */
export const DEFAULT_INTROSPECTION_MAX_AGE_SECONDS = 60

/** The RFC 7662 section 2.2 result; for an inactive token exactly `{ active: false }` (MS-JIR-03). */
export type TokenIntrospection = { active: boolean } & Record<string, unknown>

export interface CreateIntrospectionJwtOptions {
  issuer: string
  /** The client_id of the resource server that asked: becomes `aud`. */
  clientId: string
  /** Seconds since the epoch. */
  now: number
  /** The bank's current key. */
  key: SigningKey
  introspection: TokenIntrospection
}

/**
 * Signs an introspection result: header `typ` token-introspection+jwt, claims `iss`, `aud`, `iat`
 * and `token_introspection` (MS-JIR-02).
 * @see https://www.rfc-editor.org/rfc/rfc9701.html#section-5
 */
export async function createIntrospectionJwt(
  options: CreateIntrospectionJwtOptions,
): Promise<string> {
  return new SignJWT({
    iss: options.issuer,
    aud: options.clientId,
    iat: options.now,
    token_introspection: options.introspection,
  })
    .setProtectedHeader(signingHeader(options.key, INTROSPECTION_JWT_TYP))
    .sign(options.key.key)
}

export interface VerifyIntrospectionJwtOptions {
  /** The response body. */
  jwt: string
  /** The authorization server the RS introspects at. */
  issuer: string
  /** The resource server's own client_id, which `aud` must be or contain. */
  clientId: string
  /** Seconds since the epoch. */
  now: number
  /** The issuer's published JWKS or a resolver. */
  keys: IssuerKeys
  /** How old `iat` may be (sandbox policy P: 60 s). */
  maxAgeSeconds?: number
  /** How far ahead `iat` may be (10-60 s, SP 5.3.2.1-13). */
  skewSeconds?: number
}

/**
 * Verifies a signed introspection response at the RS and returns `token_introspection`. Whether
 * the token is `active` and covers the request is the caller's next step.
 * @throws OAuthError MS-JIR-04 (signature, alg, typ, iss, aud, iat, token_introspection), all
 * invalid_token 401
 * @see https://www.rfc-editor.org/rfc/rfc9701.html#section-5
 * @see https://openid.net/specs/fapi-message-signing-2_0.html#section-5.5.2
 */
export async function verifyIntrospectionJwt(
  options: VerifyIntrospectionJwtOptions,
): Promise<TokenIntrospection> {
  const { now } = options
  const skew = checkSkewSetting(options.skewSeconds ?? DEFAULT_SKEW_SECONDS)
  const maxAge = options.maxAgeSeconds ?? DEFAULT_INTROSPECTION_MAX_AGE_SECONDS
  const { claims } = await verifyCompactJws(options.jwt, issuerKeyResolver(options.keys), {
    rules: {
      malformed: rules.introspectionJwtSignature,
      alg: rules.introspectionJwtSignature,
      typ: rules.introspectionJwtTyp,
      signature: rules.introspectionJwtSignature,
    },
    typ: { expected: INTROSPECTION_JWT_TYP, required: true },
  })
  if (claims.iss !== options.issuer) {
    throw new OAuthError(rules.introspectionJwtClaims, `iss is ${echo(claims.iss ?? 'nothing')}`)
  }
  const { aud, iat } = claims
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
  if (!audiences.includes(options.clientId)) {
    throw new OAuthError(rules.introspectionJwtClaims, `aud is ${echo(aud ?? 'nothing')}`)
  }
  // An old response must not stand in for the token's current state (revocation, RS-04).
  if (typeof iat !== 'number') throw new OAuthError(rules.introspectionJwtClaims, 'iat is required')
  if (iat > now + skew) {
    throw new OAuthError(rules.introspectionJwtClaims, `iat is ${iat - now} s ahead`)
  }
  if (iat < now - maxAge) {
    throw new OAuthError(rules.introspectionJwtClaims, `iat is ${now - iat} s old`)
  }
  const result = claims.token_introspection
  if (
    typeof result !== 'object' ||
    result === null ||
    Array.isArray(result) ||
    typeof (result as Record<string, unknown>).active !== 'boolean'
  ) {
    throw new OAuthError(rules.introspectionJwtClaims, 'token_introspection.active is missing')
  }
  return result as TokenIntrospection
}
