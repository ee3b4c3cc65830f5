/**
 * The successful token response (RFC 6749 section 5.1): a sender-constrained JWT access token
 * (RFC 9068; RFC 9449 section 5 or RFC 8705 section 3), the granted `authorization_details`
 * (RFC 9396 section 7), a refresh token when one is due, and an ID token when `openid` was granted
 * at the code exchange (OIDC Core section 3.1.3.3).
 */
import { issueAccessToken } from '@sandbox/fapi/access-token'
import type { SigningKey } from '@sandbox/fapi/signing-key'
import type { TokenResponse } from '@sandbox/spec-types/oauth/token'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import type { BankContext } from '../bank-context.js'
import type { TokenBinding } from '../checks/check-token-binding.js'
import { isRefreshTokenDue, issueRefreshToken } from '../grants/refresh-token.js'
import type { TokenIssue } from '../grants/token-issue.js'
import { type BankSigningAlg, DEFAULT_SIGNING_ALG } from '../keys/key-ring.js'
import { randomToken } from '../random.js'

/** The bank's key in the kit's shape (the bank holds an imported CryptoKey, never re-imported). */
function signingKey(bank: BankContext, alg: BankSigningAlg = DEFAULT_SIGNING_ALG): SigningKey {
  const { kid, privateKey } = bank.keys.signingKey(alg)
  return { kid, alg, key: privateKey }
}

/**
 * Issues the tokens of one successful token request and renders the response body.
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc9068.html#section-2
 */
export async function createTokenResponse(
  bank: BankContext,
  client: ClientRecord,
  binding: TokenBinding,
  issue: TokenIssue,
): Promise<TokenResponse> {
  const now = bank.now()
  const expiresIn = bank.bank.profile.accessTokenLifetimeSeconds
  const { token: accessToken } = await issueAccessToken({
    key: signingKey(bank),
    issuer: bank.issuer,
    audience: bank.resourceServer,
    subject: issue.subject,
    clientId: client.clientId,
    scope: issue.scope,
    authorizationDetails: issue.authorizationDetails,
    grantId: issue.grant?.id,
    cnf: binding.cnf,
    jti: randomToken(bank.random),
    now,
    lifetimeSeconds: expiresIn,
  })
  const refreshToken =
    issue.grant !== undefined && isRefreshTokenDue(client, issue)
      ? await issueRefreshToken(bank, issue.grant, binding, issue.scope)
      : undefined
  return {
    access_token: accessToken,
    token_type: binding.tokenType,
    expires_in: expiresIn,
    ...(issue.scope === undefined ? {} : { scope: issue.scope }),
    ...(issue.authorizationDetails === undefined
      ? {}
      : { authorization_details: issue.authorizationDetails }),
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    ...(issue.grant === undefined ? {} : { grant_id: issue.grant.id }),
  }
}
