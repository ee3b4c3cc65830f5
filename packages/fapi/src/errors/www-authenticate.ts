/** WWW-Authenticate challenges for resource servers (RFC 6750 section 3, RFC 9449 section 7.1). */
import { FAPI_SIGNING_ALGS } from '@sandbox/spec-types/oauth/signing-alg'
import { toDescriptionChars } from './describe.js'
import type { OAuthError, OAuthErrorCode } from './oauth-error.js'
import { rules } from './rules.js'

export interface Challenge {
  scheme: 'DPoP' | 'Bearer'
  error?: OAuthErrorCode
  error_description?: string
  algs?: readonly string[]
  scope?: string
  realm?: string
}

// RFC 9110 section 5.6.4: a quoted-string escapes only `"` and `\`; ours never contain either.
function quoted(value: string): string {
  return `"${toDescriptionChars(value)}"`
}

/**
 * Renders `DPoP error="invalid_dpop_proof", error_description="...", algs="ES256 PS256 EdDSA"`.
 * @see https://www.rfc-editor.org/rfc/rfc9449.html#section-7.1
 */
export function renderChallenge(challenge: Challenge): string {
  const params: string[] = []
  if (challenge.realm !== undefined) params.push(`realm=${quoted(challenge.realm)}`)
  if (challenge.error !== undefined) params.push(`error=${quoted(challenge.error)}`)
  if (challenge.error_description !== undefined) {
    params.push(`error_description=${quoted(challenge.error_description)}`)
  }
  if (challenge.scope !== undefined) params.push(`scope=${quoted(challenge.scope)}`)
  if (challenge.algs !== undefined) params.push(`algs=${quoted(challenge.algs.join(' '))}`)
  return params.length === 0 ? challenge.scheme : `${challenge.scheme} ${params.join(', ')}`
}

/** ES256 first: the sandbox's default DPoP algorithm. */
export const DPOP_ALGS: readonly string[] = [
  'ES256',
  ...FAPI_SIGNING_ALGS.filter((a) => a !== 'ES256'),
]

/**
 * The resource-server form of a DPoP failure: 401 with a DPoP challenge, the key-binding failure
 * as `invalid_token` (AS-SC-12 at the RS), and any `DPoP-Nonce` kept.
 * @see https://www.rfc-editor.org/rfc/rfc9449.html#section-9
 */
export function resourceServerDpopError(error: OAuthError): {
  status: number
  headers: Record<string, string>
} {
  // AS-SC-12: at the RS, a proof by a key other than cnf.jkt means the token is not usable.
  const code: OAuthErrorCode =
    error.rule === rules.dpopKeyBinding ? 'invalid_token' : error.rule.error
  const status = code === 'insufficient_scope' ? 403 : code === 'invalid_request' ? 400 : 401
  return {
    status,
    headers: {
      ...error.headers,
      'WWW-Authenticate': renderChallenge({
        scheme: 'DPoP',
        error: code,
        error_description: error.message,
        algs: DPOP_ALGS,
      }),
    },
  }
}

/**
 * The status and headers of a refused protected resource request at a bank whose tokens are
 * bound with `senderConstraint`: a bare challenge when no token came (RFC 6750 section 3.1),
 * the RS form of a proof failure (RFC 9449 sections 7.1 and 9), or a challenge naming the error.
 * @see https://www.rfc-editor.org/rfc/rfc6750.html#section-3
 */
export function resourceChallenge(
  error: OAuthError,
  senderConstraint: 'dpop' | 'mtls',
): { status: number; headers: Record<string, string>; bare: boolean } {
  const dpop = senderConstraint === 'dpop'
  if (error.rule === rules.resourceTokenMissing) {
    const challenge = dpop ? { scheme: 'DPoP', algs: DPOP_ALGS } : { scheme: 'Bearer' }
    return {
      status: error.rule.status,
      headers: { 'WWW-Authenticate': renderChallenge(challenge as Challenge) },
      bare: true,
    }
  }
  if (
    dpop &&
    (error.rule.error === 'invalid_dpop_proof' || error.rule.error === 'use_dpop_nonce')
  ) {
    return { ...resourceServerDpopError(error), bare: false }
  }
  const challenge = renderChallenge({
    scheme: dpop ? 'DPoP' : 'Bearer',
    error: error.rule.error,
    error_description: error.message,
    ...(dpop ? { algs: DPOP_ALGS } : {}),
  })
  return {
    status: error.rule.status,
    headers: { ...error.headers, 'WWW-Authenticate': challenge },
    bare: false,
  }
}
