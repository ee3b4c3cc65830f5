/**
 * The front-channel authorization request: `client_id` and the `request_uri` that client pushed
 * (RFC 9126 section 4). Until both hold, neither the client nor its redirect_uri is established,
 * so every failure here is an error page (RFC 6749 section 4.1.2.1).
 */
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { PushedAuthorizationReference } from '@sandbox/spec-types/oauth/authorization-request'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import type { BankContext } from '../bank-context.js'
import type { AuthorizationFlow } from '../browser/browser-state.js'
import { BANK_SIGNING_ALGS, type BankSigningAlg, DEFAULT_SIGNING_ALG } from '../keys/key-ring.js'
import { authorizeRules } from '../rules/authorize.js'

/**
 * JARM section 3: `authorization_signed_response_alg`, ES256 when absent. Registration admits only
 * algorithms the bank holds keys for; a record from before that check falls back to the default.
 */
function responseSigningAlg(client: ClientRecord): BankSigningAlg {
  const registered = client.metadata.authorization_signed_response_alg
  const held: readonly string[] = BANK_SIGNING_ALGS
  return registered !== undefined && held.includes(registered)
    ? (registered as BankSigningAlg)
    : DEFAULT_SIGNING_ALG
}

/**
 * Finds the client and its pushed request; only the pushed parameters count from here on
 * (AS-AZ-08: front-channel extras never reach this function).
 * @throws OAuthError AS-AZ-03 (unknown client), AS-AZ-07 (unknown, forged, expired or used
 * request_uri), AS-AZ-04 (request_uri of another client)
 * @see https://www.rfc-editor.org/rfc/rfc9126.html#section-4
 */
export async function checkPushedReference(
  bank: BankContext,
  reference: PushedAuthorizationReference,
): Promise<{ client: ClientRecord; flow: AuthorizationFlow }> {
  const client = await bank.store.clients.get(reference.client_id)
  if (client === undefined) {
    throw new OAuthError(
      authorizeRules.clientId,
      `no client ${echo(reference.client_id)} is registered`,
    )
  }
  const pushed = bank.pushedRequests.get(reference.request_uri)
  if (pushed === undefined) {
    throw new OAuthError(authorizeRules.requestUriInvalid, `got ${echo(reference.request_uri)}`)
  }
  if (pushed.clientId !== client.clientId) {
    throw new OAuthError(
      authorizeRules.requestUriOtherClient,
      `client_id is ${echo(client.clientId)}`,
    )
  }
  return {
    client,
    flow: {
      kind: 'authorize',
      requestUri: reference.request_uri,
      pushed,
      clientName: client.metadata.client_name ?? client.clientId,
      responseSigningAlg: responseSigningAlg(client),
    },
  }
}
