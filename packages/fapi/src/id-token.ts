/** OpenID Connect ID tokens: issuing at the AS (OIDC Core 2) and validating at the client (OIDC Core 3.1.3.7; FAPI 2.0 SP 5.4.1). */
import { SignJWT } from 'jose'
import { type FapiSigningAlg, isFapiSigningAlg } from './algorithms.js'
import { checkSkewSetting, DEFAULT_SKEW_SECONDS } from './clock.js'
import { echo } from './errors/describe.js'
import { OAuthError } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'
import { type IssuerKeys, issuerKeyResolver } from './jwks.js'
import { verifyCompactJws } from './jws.js'
import { type SigningKey, signingHeader } from './signing-key.js'

export interface IdTokenClaims extends Record<string, unknown> {
  iss: string
  sub: string
  aud: string | string[]
  exp: number
  iat: number
  auth_time?: number
  nonce?: string
  acr?: string
  azp?: string
}

export interface CreateIdTokenOptions {
  issuer: string
  /** Becomes `aud`, a single string. */
  clientId: string
  /** The pairwise or public user id. */
  subject: string
  /** The `nonce` of the authorization request, copied unchanged (SP 5.3.2.2-14). */
  nonce?: string | undefined
  /** When the user authenticated, seconds since the epoch. */
  authTime: number
  acr?: string | undefined
  /** Seconds since the epoch. */
  now: number
  lifetimeSeconds: number
  /** The bank's current key; its `kid` goes into the header (AS-TOK-11). */
  key: SigningKey
  /** Further claims (e.g. `txn`); the claims above win over same-named ones here. */
  extraClaims?: Record<string, unknown> | undefined
}

/**
 * Signs an ID token: `iss`, `sub`, `aud` = client_id, `exp`, `iat`, `auth_time`, and `nonce` and
 * `acr` when given (AS-TOK-11).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export async function createIdToken(options: CreateIdTokenOptions): Promise<string> {
  if (!(options.lifetimeSeconds > 0)) throw new RangeError('ID token lifetime must be positive')
  return new SignJWT({
    ...options.extraClaims,
    iss: options.issuer,
    sub: options.subject,
    aud: options.clientId,
    iat: options.now,
    exp: options.now + options.lifetimeSeconds,
    auth_time: options.authTime,
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    ...(options.acr === undefined ? {} : { acr: options.acr }),
  })
    .setProtectedHeader(signingHeader(options.key))
    .sign(options.key.key)
}

export interface ValidateIdTokenOptions {
  idToken: string | undefined
  /** The issuer the flow was started with. */
  issuer: string
  clientId: string
  /** The nonce the client sent; an ID token with a nonce is refused when none was sent. */
  nonce?: string | undefined
  /** Seconds since the epoch. */
  now: number
  /** The issuer's published JWKS or a resolver. */
  jwks: IssuerKeys
  /** The client's `id_token_signed_response_alg` (item 7); any FAPI algorithm when left out. */
  allowedAlgs?: readonly FapiSigningAlg[] | undefined
  /** How far ahead `iat` may be (10-60 s, SP 5.3.2.1-13). */
  skewSeconds?: number
}

/**
 * Validates an ID token from the token endpoint at the client and returns its claims. The
 * signature is always checked (MS 5.6, NR5), even over TLS. Other audiences than the client are
 * not trusted, so `aud` must be the client_id or an array of it alone.
 * @throws OAuthError CL-11 (signature, alg, typ, iss, aud, azp, exp, sub, iat, nonce)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export async function validateIdToken(options: ValidateIdTokenOptions): Promise<IdTokenClaims> {
  const { clientId, now } = options
  const skew = checkSkewSetting(options.skewSeconds ?? DEFAULT_SKEW_SECONDS)
  if (options.allowedAlgs?.some((alg) => !isFapiSigningAlg(alg))) {
    throw new TypeError('allowedAlgs must be FAPI signing algorithms')
  }
  const { claims } = await verifyCompactJws(options.idToken, issuerKeyResolver(options.jwks), {
    rules: {
      malformed: rules.idTokenSignature,
      alg: rules.idTokenAlg,
      typ: rules.idTokenTyp,
      signature: rules.idTokenSignature,
    },
    typ: { required: false },
    algs: options.allowedAlgs,
  })
  // Item 2: exact match, no normalisation.
  if (claims.iss !== options.issuer) {
    throw new OAuthError(rules.idTokenIssuer, `got ${echo(claims.iss ?? 'nothing')}`)
  }
  // Items 3 to 5.
  const { aud, azp } = claims
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
  if (!audiences.includes(clientId)) {
    throw new OAuthError(rules.idTokenAudience, `got ${echo(aud ?? 'nothing')}`)
  }
  if (audiences.some((value) => value !== clientId)) {
    throw new OAuthError(rules.idTokenAudience, 'it names an untrusted further audience')
  }
  if (azp !== undefined && azp !== clientId) {
    throw new OAuthError(rules.idTokenAudience, `azp is ${echo(azp)}`)
  }
  // Item 9.
  const { exp, iat, sub } = claims
  if (typeof exp !== 'number') throw new OAuthError(rules.idTokenExpired, 'exp is required')
  if (exp <= now) throw new OAuthError(rules.idTokenExpired, `exp is ${now - exp} s in the past`)
  if (typeof sub !== 'string' || sub === '') {
    throw new OAuthError(rules.idTokenClaims, 'sub is required')
  }
  // Item 10: iat is required (section 2); one beyond the skew is refused.
  if (typeof iat !== 'number') throw new OAuthError(rules.idTokenClaims, 'iat is required')
  if (iat > now + skew) throw new OAuthError(rules.idTokenClaims, `iat is ${iat - now} s ahead`)
  // Item 11.
  if (claims.nonce !== options.nonce) {
    const what = options.nonce === undefined ? 'none was sent' : 'it differs from the one sent'
    throw new OAuthError(
      rules.idTokenNonce,
      claims.nonce === undefined ? 'nonce is missing' : `nonce given but ${what}`,
    )
  }
  return claims as IdTokenClaims
}
