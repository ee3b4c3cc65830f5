/** JWT access tokens (RFC 9068), always sender-constrained (FAPI 2.0 SP 5.3.2.1-4; RFC 9449 section 6; RFC 8705 section 3). */
import { SignJWT } from 'jose'
import { checkSkewSetting, DEFAULT_SKEW_SECONDS } from './clock.js'
import { echo } from './errors/describe.js'
import { OAuthError } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'
import { type IssuerKeys, issuerKeyResolver } from './jwks.js'
import { verifyCompactJws } from './jws.js'
import { randomIdentifier } from './random.js'
import { type SigningKey, signingHeader } from './signing-key.js'

/** RFC 9068 section 2.1: the explicit type of a JWT access token. */
export const ACCESS_TOKEN_TYP = 'at+jwt'

/** Sandbox policy P (AS-TOK-10): access tokens live at most one hour. */
export const MAX_ACCESS_TOKEN_LIFETIME_SECONDS = 3600

/**
 * The `cnf` claim: exactly one binding, the DPoP key thumbprint (RFC 9449 section 6.1) or the
 * client certificate thumbprint (RFC 8705 section 3.1).
 */
export type Confirmation = { jkt: string; 'x5t#S256'?: never } | { 'x5t#S256': string; jkt?: never }

/**
 * `authorization_details` as granted (RFC 9396 section 9.1): objects with a `type`; the bank's
 * closed detail types from spec-types fit, and the RS reads foreign members without loss.
 */
export type AuthorizationDetailsClaim = readonly ({ type: string } & Record<string, unknown>)[]

export interface AccessTokenClaims {
  iss: string
  aud: string | string[]
  /** The user, or the client itself for client_credentials (RFC 9068 section 2.2). */
  sub: string
  client_id: string
  iat: number
  exp: number
  jti: string
  scope?: string
  authorization_details?: AuthorizationDetailsClaim
  grant_id?: string
  cnf: Confirmation
}

export interface IssueAccessTokenOptions {
  issuer: string
  /** The resource server(s) the token is for. */
  audience: string | string[]
  clientId: string
  /** The user id; left out for client_credentials, where `sub` becomes the client_id. */
  subject?: string | undefined
  scope?: string | undefined
  grantId?: string | undefined
  authorizationDetails?: AuthorizationDetailsClaim | undefined
  /** Never optional: the sandbox issues no bearer-only tokens (SP 5.3.2.1-4). */
  cnf: Confirmation
  /** Seconds since the epoch. */
  now: number
  /** 1 to 3600 s. */
  lifetimeSeconds: number
  /** The bank's current key. */
  key: SigningKey
  /** A fresh 128-bit random id unless given (SP 5.4.1-4). */
  jti?: string | undefined
}

/**
 * Issues a JWT access token with header `typ: at+jwt` and the claims of RFC 9068 section 2.2.
 * @see https://www.rfc-editor.org/rfc/rfc9068.html#section-2
 */
export async function issueAccessToken(
  options: IssueAccessTokenOptions,
): Promise<{ token: string; claims: AccessTokenClaims }> {
  const { now, lifetimeSeconds } = options
  if (!(lifetimeSeconds > 0 && lifetimeSeconds <= MAX_ACCESS_TOKEN_LIFETIME_SECONDS)) {
    throw new RangeError(`access token lifetime must be 1-${MAX_ACCESS_TOKEN_LIFETIME_SECONDS} s`)
  }
  const cnf = confirmation(options.cnf)
  if (cnf === undefined) throw new TypeError('cnf needs exactly one of jkt and x5t#S256')
  const claims: AccessTokenClaims = {
    iss: options.issuer,
    aud: options.audience,
    sub: options.subject ?? options.clientId,
    client_id: options.clientId,
    iat: now,
    exp: now + lifetimeSeconds,
    jti: options.jti ?? randomIdentifier(),
    ...(options.scope === undefined ? {} : { scope: options.scope }),
    ...(options.authorizationDetails === undefined
      ? {}
      : { authorization_details: options.authorizationDetails }),
    ...(options.grantId === undefined ? {} : { grant_id: options.grantId }),
    cnf,
  }
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader(signingHeader(options.key, ACCESS_TOKEN_TYP))
    .sign(options.key.key)
  return { token, claims }
}

export interface VerifyAccessTokenOptions {
  token: string
  /** The authorization server this RS trusts (RS-11). */
  issuer: string
  /** This resource server's identifier, which `aud` must be or contain (RS-11). */
  audience: string
  /** Seconds since the epoch. */
  now: number
  /** The bank's public JWKS (keep the same object: its imported keys are cached) or a resolver. */
  keys: IssuerKeys
  /** How far ahead `iat`/`nbf` may be (10-60 s, SP 5.3.2.1-13). */
  skewSeconds?: number
}

const isNonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value !== ''

function confirmation(cnf: unknown): Confirmation | undefined {
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) return undefined
  const { jkt, 'x5t#S256': x5t } = cnf as Record<string, unknown>
  if (isNonEmptyString(jkt) && x5t === undefined) return { jkt }
  if (isNonEmptyString(x5t) && jkt === undefined) return { 'x5t#S256': x5t }
  return undefined
}

/**
 * Verifies a JWT access token at the resource server and returns its claims; the proof of
 * possession (DPoP or certificate) is the caller's next step, against `claims.cnf`.
 * @throws OAuthError RS-04 (signature, expiry, claims), RS-11 (iss, aud), AS-ALG-04 (typ),
 * AS-TOK-08 (no single cnf binding); all `invalid_token` 401
 * @see https://www.rfc-editor.org/rfc/rfc9068.html#section-4
 */
export async function verifyAccessToken(
  options: VerifyAccessTokenOptions,
): Promise<AccessTokenClaims> {
  const { now } = options
  const skew = checkSkewSetting(options.skewSeconds ?? DEFAULT_SKEW_SECONDS)
  const { claims } = await verifyCompactJws(options.token, issuerKeyResolver(options.keys), {
    rules: {
      malformed: rules.accessTokenSignature,
      alg: rules.accessTokenSignature,
      typ: rules.accessTokenTyp,
      signature: rules.accessTokenSignature,
    },
    // RFC 9068 section 4: the RS must check typ, so an ID token cannot pass as an access token.
    typ: { expected: ACCESS_TOKEN_TYP, required: true },
  })
  if (claims.iss !== options.issuer) {
    throw new OAuthError(rules.accessTokenIssuer, `got ${echo(claims.iss ?? 'nothing')}`)
  }
  const { aud } = claims
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
  if (!audiences.includes(options.audience)) {
    throw new OAuthError(rules.accessTokenAudience, `got ${echo(aud ?? 'nothing')}`)
  }
  const { exp, iat, nbf, sub, client_id, jti, scope, grant_id, authorization_details } = claims
  if (typeof exp !== 'number' || typeof iat !== 'number') {
    throw new OAuthError(rules.accessTokenClaims, 'exp and iat are required numbers')
  }
  if (exp <= now)
    throw new OAuthError(rules.accessTokenExpired, `exp is ${now - exp} s in the past`)
  for (const [name, value] of [
    ['iat', iat],
    ['nbf', nbf],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || value > now + skew)) {
      throw new OAuthError(rules.accessTokenExpired, `${name} is ${Number(value) - now} s ahead`)
    }
  }
  if (!isNonEmptyString(sub) || !isNonEmptyString(client_id) || !isNonEmptyString(jti)) {
    throw new OAuthError(rules.accessTokenClaims, 'sub, client_id and jti are required')
  }
  if (
    (scope !== undefined && typeof scope !== 'string') ||
    (grant_id !== undefined && !isNonEmptyString(grant_id)) ||
    (authorization_details !== undefined && !Array.isArray(authorization_details))
  ) {
    throw new OAuthError(
      rules.accessTokenClaims,
      'scope, grant_id or authorization_details is malformed',
    )
  }
  const cnf = confirmation(claims.cnf)
  if (cnf === undefined) throw new OAuthError(rules.accessTokenUnbound)
  return { ...(claims as unknown as AccessTokenClaims), cnf }
}
