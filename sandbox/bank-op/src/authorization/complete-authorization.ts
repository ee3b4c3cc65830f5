/**
 * The end of an authorization: the customer's grant and a code (RFC 6749 section 4.1.2; FAPI 2.0
 * SP 5.3.2.1-11), or an error, each consuming the request_uri (RFC 9126 section 7.3).
 * @see https://www.rfc-editor.org/rfc/rfc9126.html#section-7.3
 */
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { BankContext, IssuedCode } from '../bank-context.js'
import {
  type AuthorizationFlow,
  type BrowserState,
  INTERACTION_SECONDS,
  type SignedInCustomer,
} from '../browser/browser-state.js'
import { randomToken } from '../random.js'
import { authorizeRules } from '../rules/authorize.js'
import { authorizationResponseLocation } from './authorization-response.js'
import type { GrantedAccess } from './consent-offer.js'

/** FAPI 2.0 SP 5.3.2.1-11: a code lives 60 seconds at most. */
export const CODE_LIFETIME_SECONDS = 60

/** The `acr` of the bank's one sign-in method: password, then a one-time code (OIDC Core section 2). */
export const SIGN_IN_ACR = 'urn:sandbox:acr:password-and-one-time-code'

/**
 * Marks the request_uri used. Only completion consumes it, so reloading the page before that is
 * fine (FAPI 2.0 SP 5.3.2.2 Note 3); two interactions opened on one request_uri complete once.
 * @throws OAuthError AS-AZ-07 (already completed in another interaction)
 */
function consumeRequestUri(bank: BankContext, state: BrowserState, flow: AuthorizationFlow): void {
  if (state.completedRequestUris.get(flow.requestUri) !== undefined) {
    throw new OAuthError(authorizeRules.requestUriInvalid, 'its authorization already completed')
  }
  bank.pushedRequests.delete(flow.requestUri)
  state.completedRequestUris.set(flow.requestUri, true, bank.now() + INTERACTION_SECONDS)
}

/**
 * Records the customer's grant, issues a code for it and returns where the browser goes next.
 * @throws OAuthError AS-AZ-07 (the request_uri completed elsewhere)
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.2
 */
export async function approveAuthorization(
  bank: BankContext,
  state: BrowserState,
  flow: AuthorizationFlow,
  customer: SignedInCustomer,
  granted: GrantedAccess,
): Promise<string> {
  consumeRequestUri(bank, state, flow)
  const { pushed } = flow
  const now = bank.now()
  // SP 5.4.1-4: the grant id is public but unguessable (FAPI Grant Management, Privacy).
  const grantId = randomToken(bank.random)
  await bank.store.grants.insert({
    id: grantId,
    clientId: pushed.clientId,
    customerId: customer.customerId,
    status: 'active',
    scope: pushed.scope,
    authorizationDetails: granted.authorizationDetails,
    createdAt: now,
    updatedAt: now,
    expiresAt: granted.expiresAt,
  })
  const code = randomToken(bank.random)
  const issued: IssuedCode = {
    clientId: pushed.clientId,
    redirectUri: pushed.redirectUri,
    codeChallenge: pushed.codeChallenge,
    dpopJkt: pushed.dpopJkt,
    grantId,
    customerId: customer.customerId,
    scope: pushed.scope,
    authorizationDetails: granted.authorizationDetails,
    nonce: pushed.nonce,
    authTime: customer.authTime,
    acr: SIGN_IN_ACR,
    issuedAt: now,
    expiresAt: now + CODE_LIFETIME_SECONDS,
  }
  bank.codes.set(code, issued, issued.expiresAt)
  return authorizationResponseLocation(bank, pushed, { code }, flow.responseSigningAlg)
}

/**
 * Ends the authorization with an error for the client (RFC 6749 section 4.1.2.1) and returns
 * where the browser goes next.
 * @throws OAuthError AS-AZ-07 (the request_uri completed elsewhere)
 */
export async function refuseAuthorization(
  bank: BankContext,
  state: BrowserState,
  flow: AuthorizationFlow,
  error: OAuthError,
): Promise<string> {
  consumeRequestUri(bank, state, flow)
  return authorizationResponseLocation(bank, flow.pushed, { error }, flow.responseSigningAlg)
}
