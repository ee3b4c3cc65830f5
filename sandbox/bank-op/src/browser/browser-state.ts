/**
 * What the bank's pages remember between requests, per bank and in memory only: browser sessions,
 * sign-in interactions in progress, and the request URIs whose authorization has completed
 * (RFC 9126 section 7.3: one-time use). A restart ends them, which only ends flows in progress.
 */
import type { BankContext, PushedRequest } from '../bank-context.js'
import type { BankSigningAlg } from '../keys/key-ring.js'
import { createExpiringStore, type ExpiringStore } from '../state/expiring-store.js'

/** Sandbox policy: a browser session lasts 30 minutes from its last sign-in or creation. */
export const SESSION_SECONDS = 30 * 60

/** Sandbox policy: a customer has 10 minutes to sign in and decide. */
export const INTERACTION_SECONDS = 10 * 60

/** The customer a session signed in (password, then one-time code). */
export interface SignedInCustomer {
  customerId: string
  username: string
  /** Given and family name, for the page header. */
  name: string
  /** Unix seconds of the sign-in (OIDC Core section 2 `auth_time`). */
  authTime: number
}

export interface BrowserSession {
  /** The cookie value: 256 random bits. */
  id: string
  /** The synchronizer token every form of this session carries (OWASP CSRF prevention). */
  csrfToken: string
  customer?: SignedInCustomer | undefined
  /** A message for the next page the session sees (post/redirect/get). */
  notice?: string | undefined
  expiresAt: number
}

/** An authorization request accepted at the authorization endpoint, waiting for the customer. */
export interface AuthorizationFlow {
  kind: 'authorize'
  requestUri: string
  /** A copy taken at the authorization endpoint; the pushed request itself expires in 60 s. */
  pushed: PushedRequest
  clientName: string
  /** The key algorithm for a JARM response (the client's authorization_signed_response_alg). */
  responseSigningAlg: BankSigningAlg
}

/** Signing in to see and revoke the apps connected to the bank. */
export interface ConnectedAppsFlow {
  kind: 'connected-apps'
}

export type InteractionStep = 'password' | 'code' | 'consent'

/** One sign-in, bound to the browser session that started it. */
export interface Interaction {
  id: string
  sessionId: string
  flow: AuthorizationFlow | ConnectedAppsFlow
  step: InteractionStep
  /** Wrong passwords and codes so far. */
  failures: number
  /** The username whose password was right, waiting for the one-time code. */
  username?: string | undefined
  customer?: SignedInCustomer | undefined
  notice?: string | undefined
  expiresAt: number
}

export interface BrowserState {
  readonly sessions: ExpiringStore<BrowserSession>
  readonly interactions: ExpiringStore<Interaction>
  /** Request URIs whose authorization completed, kept as long as an interaction could hold one. */
  readonly completedRequestUris: ExpiringStore<true>
}

export function createBrowserState(bank: BankContext): BrowserState {
  const now = () => bank.now()
  return {
    sessions: createExpiringStore({ now }),
    interactions: createExpiringStore({ now }),
    completedRequestUris: createExpiringStore({ now }),
  }
}
