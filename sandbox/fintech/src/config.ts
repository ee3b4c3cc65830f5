/**
 * The demo fintech's configuration: the banks (FAPI 2.0 providers) it connects to and how it
 * authenticates at each. The launcher builds it for the seeded banks; `loadFintechConfigFile`
 * reads the same thing from a JSON file for any other provider.
 */
import type { FapiSigningAlg } from '@sandbox/fapi/algorithms'
import type { ServiceTls } from '@sandbox/service-kit/server'
import type { BankBrand, SenderConstraint } from '@sandbox/spec-types/banking/bank'
import type { CurrencyCode } from '@sandbox/spec-types/banking/currency'
import type { CryptoKey } from 'jose'

/** How the fintech proves who it is at the bank's back channel. */
export type ClientAuthConfig =
  | { method: 'private_key_jwt'; key: CryptoKey; kid: string; alg: FapiSigningAlg }
  | { method: 'tls_client_auth' }

export interface ProviderConfig {
  /** A slug: the bank's id in the fintech's URLs. */
  id: string
  name: string
  brand: BankBrand
  /** The issuer identifier: metadata is read from `${issuer}/.well-known/openid-configuration`. */
  issuer: string
  clientId: string
  clientAuth: ClientAuthConfig
  /** How the bank binds tokens: a DPoP key of the fintech's, or its client certificate. */
  senderConstraint: SenderConstraint
  /** The client certificate and key for mutual TLS (tls_client_auth or certificate-bound tokens). */
  certificate?: { certPem: string; keyPem: string } | undefined
  /** Ask for a signed authorization response (JARM, `response_mode=jwt`). */
  responseMode: 'query' | 'jwt'
  /** Push the authorization request as a signed request object (JAR, RFC 9101). */
  signedRequestObject: boolean
  /** Where the bank's account and payment APIs live. */
  apiBaseUrl: string
  /** The bank's currency, for payments. */
  currency: CurrencyCode
  /** One line on the bank's card: its profile in plain words. */
  profileSummary: string
}

export interface FintechConfig {
  providers: readonly ProviderConfig[]
  /**
   * The redirect URIs registered at every bank. The one whose origin the browser used is sent,
   * so the session cookie comes back with the callback; the first one otherwise.
   */
  redirectUris: readonly string[]
  /** The CA bundle the fintech trusts for the banks; Node's defaults when absent. */
  ca?: string | undefined
  /** Absent in `inject` tests; the launcher passes the sandbox server certificate. */
  tls?: ServiceTls | undefined
  /** The built front end (`dist/web`); the pages are not served when absent. */
  webRoot?: string | undefined
}

/** A one-line description of a provider's profile, for its card. */
export function describeProfile(provider: {
  senderConstraint: SenderConstraint
  clientAuth: { method: string }
  responseMode: string
  signedRequestObject: boolean
}): string {
  const parts = [
    provider.senderConstraint === 'dpop' ? 'DPoP-bound tokens' : 'certificate-bound tokens (mTLS)',
    provider.clientAuth.method,
  ]
  if (provider.signedRequestObject) parts.push('signed requests (JAR)')
  if (provider.responseMode === 'jwt') parts.push('signed responses (JARM)')
  return parts.join(' · ')
}
