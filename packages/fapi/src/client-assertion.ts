/** private_key_jwt client authentication (RFC 7523 sections 2.2 and 3; FAPI 2.0 SP 5.3.2.1). */
import { JWT_BEARER_CLIENT_ASSERTION_TYPE } from '@sandbox/spec-types/oauth/client-authentication'
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload, SignJWT } from 'jose'
import { type FapiSigningAlg, isFapiSigningAlg } from './algorithms.js'
import { checkSkewSetting, DEFAULT_SKEW_SECONDS } from './clock.js'
import { echo } from './errors/describe.js'
import { OAuthError } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'
import type { JtiStore } from './jti-store.js'
import { type ClientJwks, selectClientKey } from './jwks.js'

export { JWT_BEARER_CLIENT_ASSERTION_TYPE }

/** Sandbox policy P: an assertion lives at most 5 minutes (RFC 7523 section 3 item 4 lets us refuse far-off exp). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300

export interface VerifyClientAssertionOptions {
  assertion: string | undefined
  assertionType: string | undefined
  /** The `client_id` request parameter, when sent (AS-CA-10). */
  clientId?: string | undefined
  /** The AS issuer identifier: the only accepted `aud` (SP 5.3.2.1-8). */
  issuer: string
  /** Seconds since the epoch. */
  now: number
  /** The client's registered JWKS, or undefined for an unknown client. */
  getClientJwks: (clientId: string) => Promise<ClientJwks | undefined>
  seenJti: JtiStore
  skewSeconds?: number
}

export interface VerifiedClientAssertion {
  clientId: string
  jti: string
  exp: number
}

// AS-ALG-04 / RFC 8725 section 3.11: explicitly typed JWTs of other kinds cannot authenticate.
const ACCEPTED_TYP = new Set(['jwt', 'client-authentication+jwt'])

/**
 * Authenticates a client by its `private_key_jwt` assertion.
 * @throws OAuthError AS-CA-02, AS-CA-03, AS-CA-04, AS-CA-05, AS-CA-06, AS-CA-07, AS-CA-08,
 * AS-CA-09, AS-CA-10, AS-CA-13, AS-ALG-04
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-3
 */
export async function verifyClientAssertion(
  options: VerifyClientAssertionOptions,
): Promise<VerifiedClientAssertion> {
  const { assertion, assertionType, issuer, now } = options
  const skew = checkSkewSetting(options.skewSeconds ?? DEFAULT_SKEW_SECONDS)
  if (assertion === undefined && assertionType === undefined) {
    throw new OAuthError(rules.clientAuthRequired, 'no client_assertion was sent')
  }
  if (assertionType !== JWT_BEARER_CLIENT_ASSERTION_TYPE) {
    throw new OAuthError(rules.clientAssertionType, `got ${echo(assertionType ?? 'nothing')}`)
  }
  if (assertion === undefined || assertion === '') {
    throw new OAuthError(rules.clientAssertionType, 'client_assertion is missing')
  }

  let header: ReturnType<typeof decodeProtectedHeader>
  let unverified: JWTPayload
  try {
    header = decodeProtectedHeader(assertion)
    unverified = decodeJwt(assertion)
  } catch {
    throw new OAuthError(rules.clientAssertionClaims, 'client_assertion is not a signed JWT')
  }
  const alg = header.alg
  if (!isFapiSigningAlg(alg)) {
    throw new OAuthError(rules.clientAssertionAlg, `got ${echo(alg ?? 'no alg')}`)
  }
  if (header.typ !== undefined && !ACCEPTED_TYP.has(header.typ.toLowerCase())) {
    throw new OAuthError(rules.clientAssertionTyp, `got typ ${echo(header.typ)}`)
  }
  const { iss, sub } = unverified
  if (typeof iss !== 'string' || typeof sub !== 'string' || iss === '' || sub === '') {
    throw new OAuthError(rules.clientAssertionClaims, 'iss and sub are required')
  }
  if (iss !== sub) throw new OAuthError(rules.clientAssertionClaims, 'iss and sub differ')
  if (options.clientId !== undefined && options.clientId !== iss) {
    throw new OAuthError(
      rules.clientIdMismatch,
      `client_id ${echo(options.clientId)} is not the assertion issuer`,
    )
  }

  const jwks = await options.getClientJwks(iss)
  if (jwks === undefined)
    throw new OAuthError(rules.clientAssertionKey, `unknown client ${echo(iss)}`)
  const { key } = await selectClientKey(jwks, { alg, kid: header.kid })
  let claims: JWTPayload
  try {
    const verified = await compactVerify(assertion, key, { algorithms: [alg] })
    claims = JSON.parse(new TextDecoder().decode(verified.payload)) as JWTPayload
  } catch (cause) {
    throw new OAuthError(rules.clientAssertionKey, 'the signature does not verify', {}, { cause })
  }

  // SP 5.3.2.1-8: the issuer identifier as a single string, nothing else.
  if (typeof claims.aud !== 'string' || claims.aud !== issuer) {
    const got = Array.isArray(claims.aud) ? 'an array' : echo(claims.aud ?? 'nothing')
    throw new OAuthError(rules.clientAssertionAudience, `got ${got}`)
  }
  const { exp, iat, nbf, jti } = claims
  if (typeof exp !== 'number') throw new OAuthError(rules.clientAssertionClaims, 'exp is required')
  if (typeof jti !== 'string' || jti === '') {
    throw new OAuthError(rules.clientAssertionClaims, 'jti is required')
  }
  if (exp <= now)
    throw new OAuthError(rules.clientAssertionExpired, `exp is ${now - exp} s in the past`)
  // SP 5.3.2.1-13: up to 10 s ahead passes, beyond the configured skew (at most 60 s) fails.
  for (const [name, value] of [
    ['iat', iat],
    ['nbf', nbf],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || value > now + skew)) {
      throw new OAuthError(
        rules.clientAssertionIssuedInFuture,
        `${name} is ${Number(value) - now} s ahead`,
      )
    }
  }
  const lifetime = exp - (typeof iat === 'number' ? Math.min(iat, now) : now)
  if (lifetime > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw new OAuthError(rules.clientAssertionLifetime, `it lives ${lifetime} s`)
  }
  // OIDC Core 9: the jti is remembered until the assertion would expire anyway.
  if (!(await options.seenJti.remember(`client-assertion:${iss}:${jti}`, exp))) {
    throw new OAuthError(rules.clientAssertionReplay)
  }
  return { clientId: iss, jti, exp }
}

/**
 * Signs a `private_key_jwt` assertion (client side): `aud` is the issuer string, 60 s lifetime.
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-2.2
 */
export async function createClientAssertion(options: {
  clientId: string
  issuer: string
  key: CryptoKey
  alg: FapiSigningAlg
  kid?: string
  now: number
  jti: string
  lifetimeSeconds?: number
}): Promise<string> {
  return new SignJWT({ jti: options.jti })
    .setProtectedHeader({
      alg: options.alg,
      ...(options.kid === undefined ? {} : { kid: options.kid }),
    })
    .setIssuer(options.clientId)
    .setSubject(options.clientId)
    .setAudience(options.issuer)
    .setIssuedAt(options.now)
    .setExpirationTime(options.now + (options.lifetimeSeconds ?? 60))
    .sign(options.key)
}
