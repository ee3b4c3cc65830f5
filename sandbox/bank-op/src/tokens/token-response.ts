/**
 * The successful token response (RFC 6749 section 5.1): a sender-constrained JWT access token
 * (RFC 9068; RFC 9449 section 5 or RFC 8705 section 3), the granted `authorization_details`
 * (RFC 9396 section 7), a refresh token when one is due, and an ID token when `openid` was granted
 * at the code exchange (OIDC Core section 3.1.3.3).
 */
import { issueAccessToken } from '@sandbox/fapi/access-token'
import { createIdToken } from '@sandbox/fapi/id-token'
import type { SigningKey } from '@sandbox/fapi/signing-key'
import type { TokenResponse } from '@sandbox/spec-types/oauth/token'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import type { BankContext } from '../bank-context.js'
import type { TokenBinding } from '../checks/check-token-binding.js'
import { isRefreshTokenDue, issueRefreshToken } from '../grants/refresh-token.js'
import { hasScope, type TokenIssue } from '../grants/token-issue.js'
import { BANK_SIGNING_ALGS, type BankSigningAlg, DEFAULT_SIGNING_ALG } from '../keys/key-ring.js'
import { randomToken } from '../random.js'

/** The bank's key in the kit's shape (the bank holds an imported CryptoKey, never re-imported). */
function signingKey(bank: BankContext, alg: BankSigningAlg = DEFAULT_SIGNING_ALG): SigningKey {
  const { kid, privateKey } = bank.keys.signingKey(alg)
  return { kid, alg, key: privateKey }
}

/** OIDC Core section 3.1.3.7 item 7: the client's registered alg when the bank holds a key for it. */
function idTokenAlg(client: ClientRecord): BankSigningAlg {
  const registered = client.metadata.id_token_signed_response_alg
  const held: readonly string[] = BANK_SIGNING_ALGS
  return registered !== undefined && held.includes(registered)
    ? (registered as BankSigningAlg)
    : DEFAULT_SIGNING_ALG
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
  // OIDC Core section 3.1.3.3: an ID token at the code exchange when openid was granted; the
  // refresh response carries none (section 12.2 allows leaving it out).
  const { authentication } = issue
  const idToken =
    authentication !== undefined && hasScope(issue.scope, 'openid')
      ? await createIdToken({
          key: signingKey(bank, idTokenAlg(client)),
          issuer: bank.issuer,
          clientId: client.clientId,
          subject: issue.subject,
          nonce: authentication.nonce,
          authTime: authentication.authTime,
          acr: authentication.acr,
          now,
          lifetimeSeconds: expiresIn,
        })
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
    ...(idToken === undefined ? {} : { id_token: idToken }),
    ...(issue.grant === undefined ? {} : { grant_id: issue.grant.id }),
  }
}
