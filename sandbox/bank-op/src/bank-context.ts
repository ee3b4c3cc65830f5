/**
 * Everything bank-op knows about one hosted bank while serving it (DESIGN principle 1: a bank is
 * a tenant with its own issuer, keys, database and profile; banks share code, never state).
 */

import type { DpopNonces } from '@sandbox/fapi/dpop/nonce'
import type { JtiStore } from '@sandbox/fapi/jti-store'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import type { AuthorizationDetails } from '@sandbox/spec-types/rar/authorization-details'
import type { BankRepositories } from '@sandbox/store/bank-database'
import type { ClientJwksResolver } from './clients/client-jwks.js'
import type { BankKeys } from './keys/bank-keys.js'
import type { RandomBytes } from './random.js'
import type { ExpiringStore } from './state/expiring-store.js'

/** An authorization request as PAR accepted it (RFC 9126 section 2.1), waiting for the user. */
export interface PushedRequest {
  clientId: string
  redirectUri: string
  responseMode: 'query' | 'jwt'
  scope?: string | undefined
  authorizationDetails?: AuthorizationDetails | undefined
  state?: string | undefined
  nonce?: string | undefined
  codeChallenge: string
  /** RFC 9449 section 10: the DPoP key the code will be bound to (`dpop_jkt` or the PAR proof). */
  dpopJkt?: string | undefined
  loginHint?: string | undefined
  prompt?: string | undefined
  /** The `x-fapi-interaction-id` it was pushed with: the trace flow its browser steps join. */
  flowId?: string | undefined
  /** Unix seconds. */
  pushedAt: number
  expiresAt: number
}

/** A code issued at the end of an authorization, redeemable once (FAPI 2.0 SP 5.3.2.2-9). */
export interface IssuedCode {
  clientId: string
  redirectUri: string
  codeChallenge: string
  dpopJkt?: string | undefined
  grantId: string
  customerId: string
  scope?: string | undefined
  authorizationDetails?: AuthorizationDetails | undefined
  nonce?: string | undefined
  /** Unix seconds of the login, for the ID token's `auth_time` (OIDC Core section 2). */
  authTime: number
  /** Authentication context: the one-time-code login (OIDC Core section 2 `acr`). */
  acr: string
  issuedAt: number
  expiresAt: number
  /** Set on first redemption: a replay then revokes what was issued (SP 5.3.2.2-9, RFC 6749 4.1.2). */
  redeemedAt?: number | undefined
}

export interface BankContext {
  readonly bank: Bank
  /** `${publicBaseUrl}/${bank.id}`, byte-exact (RFC 8414 section 3.3). */
  readonly issuer: string
  /** The same bank's base on the mutual-TLS listener, when there is one (RFC 8705 section 5). */
  readonly mtlsBase?: string | undefined
  /** The audience of the bank's access tokens: its resource server's base URL (RFC 9068 section 2.2). */
  readonly resourceServer: string
  readonly keys: BankKeys
  readonly store: BankRepositories
  /** Registered clients' public keys (`jwks`, or `jwks_uri` fetched and cached). */
  readonly clientJwks: ClientJwksResolver
  /** Unix seconds; the injected clock (DESIGN principle 2). */
  now(): number
  readonly random: RandomBytes
  /** Client assertion and DPoP proof jtis seen (RFC 7523 section 3; RFC 9449 section 11.1). */
  readonly seenJti: JtiStore
  /** Present when the bank's profile demands server nonces (RFC 9449 section 8). */
  readonly dpopNonces?: DpopNonces | undefined
  readonly pushedRequests: ExpiringStore<PushedRequest>
  /** Live codes, and redeemed ones until their expiry so a replay is recognised. */
  readonly codes: ExpiringStore<IssuedCode>
}

/** The URL of an endpoint path of the bank on the listener a request arrived at. */
export function endpointUrl(context: BankContext, path: string, viaMtls: boolean): string {
  const base = viaMtls && context.mtlsBase !== undefined ? context.mtlsBase : context.issuer
  return `${base}${path}`
}
