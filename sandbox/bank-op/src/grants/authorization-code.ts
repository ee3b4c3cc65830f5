/**
 * The authorization code grant at the token endpoint (RFC 6749 section 4.1.3; RFC 7636 section
 * 4.6; RFC 9449 section 10; FAPI 2.0 SP 5.3.2.1-11 and 5.3.2.2-9).
 *
 * A code is redeemable once, for at most 60 s, by the client it was issued to, with the same
 * redirect URI, the PKCE verifier and (DPoP) the key it was bound to at PAR. It is marked redeemed
 * only once every check has passed, so a request that fails (wrong verifier, `use_dpop_nonce`)
 * leaves it usable; the marker stays until the code expires, and a second redemption by the same
 * client revokes the grant, which ends every token issued from the code (RFC 6749 section 4.1.2).
 */
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { checkPkceVerifier } from '@sandbox/fapi/pkce'
import type { AuthorizationCodeTokenRequest } from '@sandbox/spec-types/oauth/token'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import { effectiveStatus } from '@sandbox/store/repositories/grants'
import type { BankContext, IssuedCode } from '../bank-context.js'
import { checkAuthorizationDetails } from '../checks/check-authorization-details.js'
import type { TokenBinding } from '../checks/check-token-binding.js'
import { tokenRules } from '../rules/token.js'
import { narrowAuthorizationDetails } from './narrow-authorization.js'
import type { TokenIssue } from './token-issue.js'

/** FAPI 2.0 SP 5.3.2.1-11, whatever expiry the code was stored with. */
export const CODE_LIFETIME_SECONDS = 60

async function revokeOnReplay(bank: BankContext, code: IssuedCode): Promise<never> {
  await bank.store.grants.revoke(code.grantId, bank.now(), 'authorization code replayed')
  throw new OAuthError(tokenRules.codeReplayed)
}

/**
 * Redeems `request.code` for the authenticated `client` whose tokens will carry `binding`.
 * @throws OAuthError AS-CODE-01 (unknown or expired), AS-CODE-02 (replayed), AS-TOK-04 (other
 * client), AS-RU-03 (redirect_uri), AS-TOK-03 (PKCE), AS-TOK-05 (DPoP key), AS-RT-06 (grant ended),
 * RAR-02..05 and RAR-07 (authorization_details)
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.3
 */
export async function redeemAuthorizationCode(
  bank: BankContext,
  request: AuthorizationCodeTokenRequest,
  client: ClientRecord,
  binding: TokenBinding,
): Promise<TokenIssue> {
  const now = bank.now()
  const code = bank.codes.get(request.code)
  if (code === undefined || now - code.issuedAt >= CODE_LIFETIME_SECONDS) {
    throw new OAuthError(tokenRules.codeUnknown, 'the code is unknown or has expired')
  }
  // Checked before the replay so another client holding a leaked code cannot revoke the grant.
  if (code.clientId !== client.clientId) throw new OAuthError(tokenRules.codeClientMismatch)
  if (code.redeemedAt !== undefined) return revokeOnReplay(bank, code)
  // RFC 6749 section 4.1.3: simple string comparison, as at PAR (RFC 9700 section 4.1.3).
  if (request.redirect_uri !== code.redirectUri) {
    throw new OAuthError(tokenRules.redirectUriMismatch, `got ${echo(request.redirect_uri)}`)
  }
  await checkPkceVerifier(request.code_verifier, code.codeChallenge)
  if (code.dpopJkt !== undefined && !('jkt' in binding.cnf && binding.cnf.jkt === code.dpopJkt)) {
    throw new OAuthError(tokenRules.codeDpopKeyMismatch)
  }
  const authorizationDetails =
    request.authorization_details === undefined
      ? code.authorizationDetails
      : narrowAuthorizationDetails(
          checkAuthorizationDetails(request.authorization_details, client),
          code.authorizationDetails,
        )
  const grant = await bank.store.grants.get(code.grantId)
  if (grant === undefined || effectiveStatus(grant, now) !== 'active') {
    throw new OAuthError(tokenRules.grantInactive, `grant ${grant?.status ?? 'unknown'}`)
  }
  // No await from here to the marker: two concurrent redemptions cannot both pass.
  if (bank.codes.get(request.code)?.redeemedAt !== undefined) return revokeOnReplay(bank, code)
  bank.codes.set(request.code, { ...code, redeemedAt: now }, code.expiresAt)
  return {
    subject: code.customerId,
    scope: code.scope,
    authorizationDetails,
    grant,
    authentication: { authTime: code.authTime, acr: code.acr, nonce: code.nonce },
  }
}
