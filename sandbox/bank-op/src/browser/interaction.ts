/**
 * Sign-in interactions: started at the authorization endpoint or at connected apps, bound to the
 * browser session that started them, and addressed by an id in the page URLs.
 */
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { BankContext } from '../bank-context.js'
import { randomToken } from '../random.js'
import { authorizeRules } from '../rules/authorize.js'
import {
  type BrowserSession,
  type BrowserState,
  INTERACTION_SECONDS,
  type Interaction,
} from './browser-state.js'

/** Sandbox policy: five wrong passwords or codes end the sign-in. */
export const MAX_SIGN_IN_FAILURES = 5

/** Absolute URLs of the pages, under the bank's issuer. */
export const pageUrls = {
  interaction: (
    bank: BankContext,
    id: string,
    action?: 'password' | 'code' | 'consent' | 'cancel',
  ) => `${bank.issuer}/interaction/${id}${action === undefined ? '' : `/${action}`}`,
  connectedApps: (bank: BankContext) => `${bank.issuer}/connected-apps`,
  revoke: (bank: BankContext, grantId: string) =>
    `${bank.issuer}/connected-apps/${encodeURIComponent(grantId)}/revoke`,
  signOut: (bank: BankContext) => `${bank.issuer}/sign-out`,
}

export function startInteraction(
  bank: BankContext,
  state: BrowserState,
  session: BrowserSession,
  flow: Interaction['flow'],
): Interaction {
  const interaction: Interaction = {
    id: randomToken(bank.random),
    sessionId: session.id,
    flow,
    step: 'password',
    failures: 0,
    expiresAt: bank.now() + INTERACTION_SECONDS,
  }
  state.interactions.set(interaction.id, interaction, interaction.expiresAt)
  return interaction
}

/** Stores a changed interaction under its id, until its original expiry. */
export function saveInteraction(state: BrowserState, interaction: Interaction): void {
  state.interactions.set(interaction.id, interaction, interaction.expiresAt)
}

/**
 * The interaction `id`, when it belongs to this browser session.
 * @throws OAuthError AS-AZ-14 (no session, or the interaction is unknown, expired, or another's)
 */
export function checkInteraction(
  state: BrowserState,
  session: BrowserSession | undefined,
  id: string,
): { interaction: Interaction; session: BrowserSession } {
  const interaction = state.interactions.get(id)
  if (interaction === undefined || session === undefined || interaction.sessionId !== session.id) {
    throw new OAuthError(
      authorizeRules.browserSession,
      'this sign-in expired or was started in another browser session',
    )
  }
  return { interaction, session }
}

/** The trace flow an interaction belongs to: the one its pushed request was sent in. */
export function flowIdOf(interaction: Interaction): string | undefined {
  return interaction.flow.kind === 'authorize' ? interaction.flow.pushed.flowId : undefined
}
