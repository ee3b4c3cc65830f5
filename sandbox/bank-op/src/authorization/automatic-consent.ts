/**
 * Headless consent, a sandbox convenience for automated tests (docs/headless-consent.md): a client
 * registered with `automaticConsent` gets the decision without pages, for the test user named by
 * the pushed `login_hint` (OIDC Core section 3.1.2.1).
 */
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { AutomaticConsent } from '@sandbox/store/repositories/clients'
import type { BankContext } from '../bank-context.js'
import type { AuthorizationFlow, BrowserState } from '../browser/browser-state.js'
import { authorizeRules } from '../rules/authorize.js'
import { approveAuthorization, refuseAuthorization } from './complete-authorization.js'
import { buildConsentOffer, canPay, narrowToChoice } from './consent-offer.js'

/**
 * Approves (every account of the customer; for a payment, the first current account that holds
 * the amount; the default duration) or denies, and returns where the browser goes next.
 * @throws OAuthError AS-AZ-07 (the request_uri completed elsewhere)
 */
export async function decideAutomatically(
  bank: BankContext,
  state: BrowserState,
  flow: AuthorizationFlow,
  decision: AutomaticConsent,
): Promise<string> {
  const refuse = (error: OAuthError) => refuseAuthorization(bank, state, flow, error)
  if (decision === 'deny') {
    return refuse(
      new OAuthError(authorizeRules.accessDenied, 'the client is registered with automatic deny'),
    )
  }
  const hint = flow.pushed.loginHint
  const user = hint === undefined ? undefined : await bank.store.testUsers.get(hint)
  if (user === undefined) {
    return refuse(
      new OAuthError(
        authorizeRules.automaticConsentLoginHint,
        hint === undefined ? 'none was pushed' : `no test user is named ${echo(hint)}`,
      ),
    )
  }
  const customer = await bank.store.customers.get(user.customerId)
  const offer = await buildConsentOffer(bank, flow.pushed, user.customerId)
  const payers = new Map<number, string>()
  for (const payment of offer.payments) {
    const payer = payment.payers.find((option) => canPay(option, payment.detail))
    if (payer === undefined) {
      return refuse(
        new OAuthError(
          authorizeRules.accessDenied,
          `no account of ${echo(user.username)} can pay the payment at index ${payment.index}`,
        ),
      )
    }
    payers.set(payment.index, payer.account.id)
  }
  const now = bank.now()
  const choice = {
    accountIds: offer.shareable.map((account) => account.id),
    payers,
    duration: offer.defaultDuration,
  }
  const result = narrowToChoice(offer, choice, now)
  if ('notice' in result) {
    return refuse(new OAuthError(authorizeRules.accessDenied, result.notice))
  }
  const signedIn = {
    customerId: user.customerId,
    username: user.username,
    name: customer === undefined ? user.username : `${customer.givenName} ${customer.familyName}`,
    authTime: now,
  }
  return approveAuthorization(bank, state, flow, signedIn, result.granted)
}
