/**
 * The client credentials grant (RFC 6749 section 4.4): a token for the client itself, e.g. to read
 * the status of payments it initiated. Sender-constrained like every token (FAPI 2.0 SP
 * 5.3.2.1-4), never with a refresh token (section 4.4.3), and without a grant row: no user, no
 * consent. The path reads nothing beyond the client authentication's one client read and writes
 * nothing (it is the benchmarked one).
 */
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { ClientCredentialsTokenRequest } from '@sandbox/spec-types/oauth/token'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import { tokenRules } from '../rules/token.js'
import type { TokenIssue } from './token-issue.js'

/** Sandbox policy (AS-TOK-13): what a client may do without a user; also the default scope. */
export const CLIENT_CREDENTIALS_SCOPES = ['payments'] as const

/**
 * Checks a client credentials request.
 * @throws OAuthError AS-TOK-13 (scope other than payments, or authorization_details)
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.4.2
 */
export function grantClientCredentials(
  request: ClientCredentialsTokenRequest,
  client: ClientRecord,
): TokenIssue {
  if (request.authorization_details !== undefined) {
    throw new OAuthError(tokenRules.clientCredentialsDetails)
  }
  const supported: readonly string[] = CLIENT_CREDENTIALS_SCOPES
  const names = [...new Set((request.scope ?? supported.join(' ')).split(' '))].filter(
    (name) => name !== '',
  )
  const other = names.filter((name) => !supported.includes(name))
  if (names.length === 0 || other.length > 0) {
    throw new OAuthError(tokenRules.clientCredentialsScope, `got ${echo(request.scope)}`)
  }
  return { subject: client.clientId, scope: names.join(' ') }
}
