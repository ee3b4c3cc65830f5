/**
 * Refresh tokens (RFC 6749 sections 1.5, 6; FAPI 2.0 SP 5.3.2.1-9; RFC 9449 section 5).
 *
 * When one is issued (AS-RT-07, sandbox policy): at the code exchange, to a client registered for
 * the `refresh_token` grant, when the grant gives ongoing access, that is an `account_information`
 * detail or the `accounts` scope. A payment is authorised once and a login (`openid` alone) ends
 * with the session, so neither gets one; nor does client_credentials (RFC 6749 section 4.4.3).
 *
 * A refresh token is 256 random bits, stored as its SHA-256, bound to the client, the grant and
 * the sender constraint of the tokens it came with (sandbox policy: RFC 9449 section 5 allows
 * confidential clients' refresh tokens to stay unbound; the sandbox binds them all), lives
 * `refreshTokenLifetimeSeconds` but never past the grant, and is not rotated (SP 5.3.2.1-9): the
 * refresh response carries no new one and the same token keeps working.
 */
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { RefreshTokenRequest } from '@sandbox/spec-types/oauth/token'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import { effectiveStatus, type GrantRecord } from '@sandbox/store/repositories/grants'
import type { BankContext } from '../bank-context.js'
import { checkAuthorizationDetails } from '../checks/check-authorization-details.js'
import { isSameBinding, type TokenBinding } from '../checks/check-token-binding.js'
import { hashToken, randomToken } from '../random.js'
import { tokenRules } from '../rules/token.js'
import { narrowAuthorizationDetails, narrowScope } from './narrow-authorization.js'
import { hasScope, type TokenIssue } from './token-issue.js'

/** RFC 7591 section 2: without `grant_types` a client is registered for the code grant alone. */
export function registeredGrantTypes(client: ClientRecord): readonly string[] {
  return client.metadata.grant_types ?? ['authorization_code']
}

/** The sandbox policy above (AS-RT-07): does this code exchange get a refresh token? */
export function isRefreshTokenDue(client: ClientRecord, issue: TokenIssue): boolean {
  if (issue.grant === undefined || issue.refreshing === true) return false
  if (!registeredGrantTypes(client).includes('refresh_token')) return false
  return (
    hasScope(issue.scope, 'accounts') ||
    issue.authorizationDetails?.some((detail) => detail.type === 'account_information') === true
  )
}

/**
 * Mints and stores a refresh token for `grant`.
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-1.5
 */
export async function issueRefreshToken(
  bank: BankContext,
  grant: GrantRecord,
  binding: TokenBinding,
  scope: string | undefined,
): Promise<string> {
  const now = bank.now()
  const token = randomToken(bank.random)
  const lifetime = now + bank.bank.profile.refreshTokenLifetimeSeconds
  await bank.store.refreshTokens.insert({
    tokenHash: await hashToken(token),
    grantId: grant.id,
    clientId: grant.clientId,
    cnf: binding.cnf,
    scope,
    createdAt: now,
    expiresAt: grant.expiresAt === undefined ? lifetime : Math.min(lifetime, grant.expiresAt),
  })
  return token
}

/**
 * Redeems a refresh token for a new access token under the same grant.
 * @throws OAuthError AS-RT-06 (unknown, expired or revoked token; grant ended), AS-RT-01 (other
 * client), AS-RT-02 (other key or certificate), AS-RT-05 (wider scope), RAR-02..05 and RAR-07/10
 * (wider authorization_details)
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
 */
export async function redeemRefreshToken(
  bank: BankContext,
  request: RefreshTokenRequest,
  client: ClientRecord,
  binding: TokenBinding,
): Promise<TokenIssue> {
  const now = bank.now()
  const stored = await bank.store.refreshTokens.get(await hashToken(request.refresh_token))
  if (stored === undefined || stored.revokedAt !== undefined || stored.expiresAt <= now) {
    throw new OAuthError(
      tokenRules.refreshTokenUnknown,
      stored === undefined ? 'unknown token' : stored.revokedAt ? 'revoked' : 'expired',
    )
  }
  if (stored.clientId !== client.clientId)
    throw new OAuthError(tokenRules.refreshTokenClientMismatch)
  if (!isSameBinding(stored.cnf, binding.cnf)) throw new OAuthError(tokenRules.refreshTokenBinding)
  const grant = await bank.store.grants.get(stored.grantId)
  if (grant === undefined || effectiveStatus(grant, now) !== 'active') {
    throw new OAuthError(tokenRules.grantInactive, `grant ${grant?.status ?? 'unknown'}`)
  }
  return {
    subject: grant.customerId,
    scope: request.scope === undefined ? stored.scope : narrowScope(request.scope, stored.scope),
    authorizationDetails:
      request.authorization_details === undefined
        ? grant.authorizationDetails
        : narrowAuthorizationDetails(
            checkAuthorizationDetails(request.authorization_details, client),
            grant.authorizationDetails,
          ),
    grant,
    refreshing: true,
  }
}
