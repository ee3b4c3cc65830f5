/** JWT-secured authorization responses (JARM, OIDF Final; FAPI 2.0 MS 5.4): issuing at the AS, validating at the client. */
import { SignJWT } from 'jose'
import { echo } from './errors/describe.js'
import { OAuthError } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'
import { type IssuerKeys, issuerKeyResolver } from './jwks.js'
import { verifyCompactJws } from './jws.js'
import { type SigningKey, signingHeader } from './signing-key.js'

/** Sandbox policy P (MS-JARM-02): a JARM response lives at most 600 s; 60 s by default. */
export const MAX_JARM_LIFETIME_SECONDS = 600

/** The authorization response inside the JWT (JARM section 2.1; RFC 6749 sections 4.1.2, 4.1.2.1). */
export type JarmParameters =
  | { code: string; state?: string | undefined }
  | {
      error: string
      error_description?: string | undefined
      error_uri?: string | undefined
      state?: string | undefined
    }

export interface CreateJarmResponseOptions {
  issuer: string
  /** Becomes `aud` (JARM section 2.1). */
  clientId: string
  /** Seconds since the epoch. */
  now: number
  /** 60 s unless given; at most 600 s. */
  lifetimeSeconds?: number
  /** The bank's current key. */
  key: SigningKey
  params: JarmParameters
}

/**
 * Signs an authorization response, success or error, as the `response` parameter (JARM section
 * 2.1, MS-JARM-02/04): `iss`, `aud` = client_id, `exp`, `iat`, then the response parameters.
 * @see https://openid.net/specs/oauth-v2-jarm-final.html#section-2.1
 */
export async function createJarmResponse(options: CreateJarmResponseOptions): Promise<string> {
  const lifetime = options.lifetimeSeconds ?? 60
  if (!(lifetime > 0 && lifetime <= MAX_JARM_LIFETIME_SECONDS)) {
    throw new RangeError(`JARM lifetime must be 1-${MAX_JARM_LIFETIME_SECONDS} s`)
  }
  const params: Record<string, string> = {}
  for (const [name, value] of Object.entries(options.params)) {
    if (typeof value === 'string') params[name] = value
  }
  return new SignJWT({
    ...params,
    iss: options.issuer,
    aud: options.clientId,
    iat: options.now,
    exp: options.now + lifetime,
  })
    .setProtectedHeader(signingHeader(options.key))
    .sign(options.key.key)
}

export interface VerifyJarmResponseOptions {
  /** The `response` parameter of the callback. */
  response: string | undefined
  /** The issuer the client pushed its request to. */
  issuer: string
  clientId: string
  /** Seconds since the epoch. */
  now: number
  /** The issuer's published JWKS (from `jwks_uri`) or a resolver. */
  jwks: IssuerKeys
}

const optionalString = (value: unknown): value is string | undefined =>
  value === undefined || typeof value === 'string'

/**
 * Validates a JARM response at the client and returns the authorization response parameters.
 * `state` is returned, not checked: its binding to the browser session is the caller's (CL-05).
 * @throws OAuthError MS-JARM-06 (signature, alg, typ, iss, aud, exp, code or error)
 * @see https://openid.net/specs/oauth-v2-jarm-final.html#section-2.4
 */
export async function verifyJarmResponse(
  options: VerifyJarmResponseOptions,
): Promise<JarmParameters> {
  const { claims } = await verifyCompactJws(options.response, issuerKeyResolver(options.jwks), {
    rules: {
      malformed: rules.jarmSignature,
      alg: rules.jarmAlg,
      typ: rules.jarmTyp,
      signature: rules.jarmSignature,
    },
    typ: { required: false },
  })
  if (claims.iss !== options.issuer) {
    throw new OAuthError(rules.jarmIssuer, `got ${echo(claims.iss ?? 'nothing')}`)
  }
  const { aud, exp } = claims
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
  if (!audiences.includes(options.clientId)) {
    throw new OAuthError(rules.jarmAudience, `got ${echo(aud ?? 'nothing')}`)
  }
  if (typeof exp !== 'number') throw new OAuthError(rules.jarmExpired, 'exp is required')
  if (exp <= options.now) {
    throw new OAuthError(rules.jarmExpired, `exp is ${options.now - exp} s in the past`)
  }
  const { code, state, error, error_description, error_uri } = claims
  if (!optionalString(state)) throw new OAuthError(rules.jarmParameters, 'state is not a string')
  if (typeof code === 'string' && code !== '' && error === undefined) {
    return { code, ...(state === undefined ? {} : { state }) }
  }
  if (
    typeof error === 'string' &&
    error !== '' &&
    code === undefined &&
    optionalString(error_description) &&
    optionalString(error_uri)
  ) {
    return {
      error,
      ...(error_description === undefined ? {} : { error_description }),
      ...(error_uri === undefined ? {} : { error_uri }),
      ...(state === undefined ? {} : { state }),
    }
  }
  throw new OAuthError(rules.jarmParameters, 'neither a code nor an error alone')
}
