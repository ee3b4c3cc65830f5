/** Signed request objects pushed to PAR (RFC 9101; RFC 9126 section 3; FAPI 2.0 MS 5.3.1 and 5.3.2). */
import { SignJWT } from 'jose'
import { checkSkewSetting, DEFAULT_SKEW_SECONDS } from './clock.js'
import { echo } from './errors/describe.js'
import { OAuthError } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'
import type { JtiStore } from './jti-store.js'
import { type ClientJwks, selectClientKey } from './jwks.js'
import { verifyCompactJws } from './jws.js'
import { randomIdentifier } from './random.js'
import { type SigningKey, signingHeader } from './signing-key.js'

/** RFC 9101 section 10.8: the explicit type of a request object. */
export const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt'

/** MS 5.3.1-3: `nbf` no more than 60 minutes in the past. */
export const MAX_REQUEST_OBJECT_AGE_SECONDS = 3600

/** MS 5.3.1-4: `exp` no more than 60 minutes after `nbf`. */
export const MAX_REQUEST_OBJECT_LIFETIME_SECONDS = 3600

/** The authorization request parameters a verified request object carries. */
export type AuthorizationRequestParameters = Record<string, unknown>

export interface VerifyRequestObjectOptions {
  /** The `request` form parameter; undefined when the client sent plain parameters. */
  request: string | undefined
  /** The client that authenticated at PAR. */
  clientId: string
  /** The `client_id` form parameter, when sent. */
  formClientId?: string | undefined
  /** The AS issuer identifier, which `aud` must be or contain. */
  issuer: string
  /** Seconds since the epoch. */
  now: number
  /** The client's registered JWKS. */
  getClientJwks: (clientId: string) => Promise<ClientJwks | undefined>
  /** How far ahead `nbf`/`iat` may be (10-60 s, SP 5.3.2.1-13). */
  skewSeconds?: number
  /** When given, each request object's `jti` is accepted once (sandbox policy P). */
  seenJti?: JtiStore | undefined
}

// The JWT claims that frame the request rather than belong to it (RFC 7519 section 4.1).
const FRAMING_CLAIMS = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti'])

function timeClaim(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/**
 * Verifies a request object pushed by an authenticated client and returns the authorization
 * parameters inside it (RFC 9101 section 6.3: only these are used, MS-JAR-09). The JWT framing
 * claims `iss`, `aud`, `exp`, `nbf`, `iat` and `jti` are left out; `client_id` stays.
 * @throws OAuthError MS-JAR-01 (no request object), MS-JAR-02, MS-JAR-03, MS-JAR-04, MS-JAR-06,
 * MS-JAR-07, MS-JAR-08, MS-JAR-12 (replay, when `seenJti` is given), AS-ALG-04 (typ)
 * @see https://www.rfc-editor.org/rfc/rfc9101.html#section-6
 * @see https://openid.net/specs/fapi-message-signing-2_0.html#section-5.3.1
 */
export async function verifyRequestObject(
  options: VerifyRequestObjectOptions,
): Promise<AuthorizationRequestParameters> {
  const { request, clientId, issuer, now } = options
  const skew = checkSkewSetting(options.skewSeconds ?? DEFAULT_SKEW_SECONDS)
  if (request === undefined || request === '') {
    throw new OAuthError(rules.requestObjectRequired, 'no request parameter was sent')
  }
  // RFC 9101 section 6.3 and RFC 9126 section 3: the form client_id is the authenticated client.
  if (options.formClientId !== undefined && options.formClientId !== clientId) {
    throw new OAuthError(
      rules.requestObjectClientId,
      `client_id ${echo(options.formClientId)} is not the authenticated client`,
    )
  }
  const jwks = await options.getClientJwks(clientId)
  const { claims } = await verifyCompactJws(
    request,
    async (header) => {
      if (jwks === undefined) {
        throw new OAuthError(rules.requestObjectSignature, 'the client has no registered keys')
      }
      const selected = await selectClientKey(
        jwks,
        { alg: header.alg, kid: header.kid },
        { noKey: rules.requestObjectSignature, weakKey: rules.requestObjectKeyStrength },
      )
      return selected.key
    },
    {
      rules: {
        malformed: rules.requestObjectSignature,
        alg: rules.requestObjectAlg,
        typ: rules.requestObjectTyp,
        signature: rules.requestObjectSignature,
      },
      // MS 5.3.1-5 accepts the explicit type; untyped objects pass too (sandbox policy P).
      typ: { expected: REQUEST_OBJECT_TYP, required: false },
    },
  )

  if (claims.iss !== clientId || claims.client_id !== clientId) {
    throw new OAuthError(
      rules.requestObjectClientId,
      `got iss ${echo(claims.iss ?? 'nothing')} and client_id ${echo(claims.client_id ?? 'nothing')}`,
    )
  }
  // MS 5.3.1-2: unlike client assertions, an array containing the issuer passes.
  const aud = claims.aud
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
  if (!audiences.includes(issuer)) {
    throw new OAuthError(rules.requestObjectAudience, `got ${echo(aud ?? 'nothing')}`)
  }
  const nbf = timeClaim(claims.nbf)
  const exp = timeClaim(claims.exp)
  const iat = claims.iat === undefined ? undefined : timeClaim(claims.iat)
  if (nbf === undefined) throw new OAuthError(rules.requestObjectNbf, 'nbf is required')
  if (claims.iat !== undefined && iat === undefined) {
    throw new OAuthError(rules.requestObjectIssuedInFuture, 'iat is not a number')
  }
  // SP 5.3.2.1-13: up to the configured skew (10-60 s) ahead passes.
  for (const [name, value] of [
    ['nbf', nbf],
    ['iat', iat],
  ] as const) {
    if (value !== undefined && value > now + skew) {
      throw new OAuthError(rules.requestObjectIssuedInFuture, `${name} is ${value - now} s ahead`)
    }
  }
  if (now - nbf > MAX_REQUEST_OBJECT_AGE_SECONDS) {
    throw new OAuthError(rules.requestObjectNbf, `nbf is ${now - nbf} s old`)
  }
  if (exp === undefined) throw new OAuthError(rules.requestObjectExp, 'exp is required')
  if (exp <= now) throw new OAuthError(rules.requestObjectExp, `exp is ${now - exp} s in the past`)
  if (exp - nbf > MAX_REQUEST_OBJECT_LIFETIME_SECONDS) {
    throw new OAuthError(rules.requestObjectExp, `exp is ${exp - nbf} s after nbf`)
  }
  for (const nested of ['request', 'request_uri']) {
    if (nested in claims) throw new OAuthError(rules.requestObjectNested, `got a ${nested} claim`)
  }
  if (options.seenJti !== undefined) {
    const { jti } = claims
    if (typeof jti !== 'string' || jti === '') {
      throw new OAuthError(rules.requestObjectReplay, 'jti is required')
    }
    if (!(await options.seenJti.remember(`request-object:${clientId}:${jti}`, exp))) {
      throw new OAuthError(rules.requestObjectReplay, 'the jti was already used')
    }
  }

  const parameters: AuthorizationRequestParameters = {}
  for (const [name, value] of Object.entries(claims)) {
    if (!FRAMING_CLAIMS.has(name)) parameters[name] = value
  }
  return parameters
}

export interface CreateRequestObjectOptions {
  clientId: string
  /** The AS issuer identifier: `aud` as a single string (MS 5.3.2-2). */
  issuer: string
  /** The client's signing key. */
  key: SigningKey
  /** Seconds since the epoch; becomes `iat` and `nbf`. */
  now: number
  /** 300 s unless given; at most 3600 (MS 5.3.2-4). */
  lifetimeSeconds?: number
  /** A fresh 128-bit random id unless given. */
  jti?: string
}

/**
 * Signs a request object (client side): `typ` oauth-authz-req+jwt, `iss` and `client_id` the
 * client, `aud` the issuer, `nbf` = `iat` = now, `exp`, `jti`, then the parameters. A parameter
 * named like one of these claims is overwritten by the claim.
 * @see https://openid.net/specs/fapi-message-signing-2_0.html#section-5.3.2
 */
export async function createRequestObject(
  parameters: AuthorizationRequestParameters,
  options: CreateRequestObjectOptions,
): Promise<string> {
  const lifetime = options.lifetimeSeconds ?? 300
  if (!(lifetime > 0 && lifetime <= MAX_REQUEST_OBJECT_LIFETIME_SECONDS)) {
    throw new RangeError(
      `request object lifetime must be 1-${MAX_REQUEST_OBJECT_LIFETIME_SECONDS} s`,
    )
  }
  if ('request' in parameters || 'request_uri' in parameters) {
    throw new TypeError('a request object cannot carry request or request_uri (RFC 9101 section 4)')
  }
  const { clientId, now } = options
  return new SignJWT({
    ...parameters,
    iss: clientId,
    client_id: clientId,
    aud: options.issuer,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    jti: options.jti ?? randomIdentifier(),
  })
    .setProtectedHeader(signingHeader(options.key, REQUEST_OBJECT_TYP))
    .sign(options.key.key)
}
