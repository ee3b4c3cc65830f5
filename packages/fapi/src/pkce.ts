/** PKCE with S256 only (RFC 7636; FAPI 2.0 SP 5.3.2.2-5). */
import { base64url } from 'jose'
import { echo } from './errors/describe.js'
import { OAuthError } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'

// RFC 7636 section 4.1: 43-128 characters of [A-Z] / [a-z] / [0-9] / - . _ ~
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/
// RFC 7636 section 4.2: S256 gives base64url(SHA-256) without padding, always 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/

/**
 * `BASE64URL(SHA256(ASCII(code_verifier)))`.
 * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4.2
 */
export async function calculatePkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  return base64url.encode(new Uint8Array(digest))
}

/**
 * Checks the challenge pushed with an authorization request.
 * @throws OAuthError AS-PAR-07
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.3.2.2
 */
export function checkPkceChallenge(params: {
  code_challenge?: string | undefined
  code_challenge_method?: string | undefined
}): void {
  const { code_challenge, code_challenge_method } = params
  if (code_challenge === undefined || code_challenge === '') {
    throw new OAuthError(rules.pkceS256, 'code_challenge is missing')
  }
  // RFC 7636 section 4.3: an absent method means plain, which SP 5.3.2.2-5 forbids.
  if (code_challenge_method === undefined) {
    throw new OAuthError(
      rules.pkceS256,
      'code_challenge_method is missing (it would default to plain)',
    )
  }
  if (code_challenge_method !== 'S256') {
    throw new OAuthError(rules.pkceS256, `got ${echo(code_challenge_method)}`)
  }
  if (!S256_CHALLENGE.test(code_challenge)) {
    throw new OAuthError(rules.pkceS256, `code_challenge is not 43 base64url characters`)
  }
}

function equalInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/**
 * Checks a `code_verifier` against the stored S256 challenge.
 * @throws OAuthError AS-TOK-03
 * @see https://www.rfc-editor.org/rfc/rfc7636.html#section-4.6
 */
export async function checkPkceVerifier(
  verifier: string | undefined,
  challenge: string,
): Promise<void> {
  if (verifier === undefined || verifier === '') {
    throw new OAuthError(rules.pkceVerifier, 'code_verifier is missing')
  }
  if (!VERIFIER.test(verifier)) {
    throw new OAuthError(
      rules.pkceVerifier,
      'code_verifier must be 43 to 128 unreserved characters',
    )
  }
  const computed = await calculatePkceChallenge(verifier)
  if (!equalInConstantTime(computed, challenge)) {
    throw new OAuthError(rules.pkceVerifier, 'code_verifier does not match')
  }
}
