/** What the fintech's tests share: a bank's issuer, its provider configuration, metadata and answers. */
import type { HttpsResponse } from '../src/client/https.js'
import type { ProviderConfig } from '../src/config.js'

export const ISSUER = 'https://bank.test/aurora'

/** aurora as the fintech is configured for it, with `overrides`. */
export function testProvider(overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    id: 'aurora',
    name: 'Aurora Bank',
    brand: { primaryColour: '#000000', accentColour: '#ffffff' },
    issuer: ISSUER,
    clientId: 'demo-fintech',
    clientAuth: { method: 'tls_client_auth' },
    senderConstraint: 'dpop',
    responseMode: 'query',
    signedRequestObject: false,
    apiBaseUrl: 'https://api.bank.test/aurora',
    currency: 'GBP',
    profileSummary: 'test',
    ...overrides,
  }
}

/** The bank's discovery document, naming `issuer`. */
export function metadataFor(issuer = ISSUER) {
  return {
    issuer,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    pushed_authorization_request_endpoint: `${ISSUER}/par`,
    jwks_uri: `${ISSUER}/jwks`,
    response_types_supported: ['code'],
  }
}

/** A JSON answer from the bank. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpsResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }
}
