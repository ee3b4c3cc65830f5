/**
 * The authorization request a client pushes (RFC 9126 section 2.1: the AS validates it at push
 * time as it would at the authorization endpoint), under FAPI 2.0 SP 5.3.2.2.
 */
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { checkPkceChallenge } from '@sandbox/fapi/pkce'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import type { BankContext, PushedRequest } from '../bank-context.js'
import { SCOPES_SUPPORTED } from '../metadata.js'
import { parRules } from '../rules/par.js'
import { checkAuthorizationDetails } from './check-authorization-details.js'

/** The authorization parameters, from the form or from a verified request object. */
export interface AuthorizationParameters {
  response_type?: unknown
  redirect_uri?: unknown
  scope?: unknown
  state?: unknown
  code_challenge?: unknown
  code_challenge_method?: unknown
  authorization_details?: unknown
  nonce?: unknown
  response_mode?: unknown
  prompt?: unknown
  login_hint?: unknown
  dpop_jkt?: unknown
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

/** Sandbox policy: the `jwt` response mode where the bank or the client asks for JARM (MS 5.4.1-1). */
function responseModeFor(
  requested: unknown,
  client: ClientRecord,
  context: BankContext,
): PushedRequest['responseMode'] {
  const registered = client.metadata.response_modes
  const jarmRequired =
    context.bank.profile.authorizationResponseMode === 'jwt' ||
    (registered !== undefined && !registered.includes('query'))
  if (requested === undefined) return jarmRequired ? 'jwt' : 'query'
  if (requested === 'jwt' || requested === 'query.jwt') return 'jwt'
  if (requested === 'query' && !jarmRequired) return 'query'
  throw new OAuthError(
    parRules.responseMode,
    jarmRequired ? `got ${echo(requested)}, this client must use jwt` : `got ${echo(requested)}`,
  )
}

/**
 * Checks the pushed parameters and returns what the authorization endpoint will act on.
 * @throws OAuthError AS-PAR-06/07/08/09/12, AS-RU-01/02, AS-RTY-04, RAR-02..05
 */
export function checkAuthorizationRequest(
  params: AuthorizationParameters,
  client: ClientRecord,
  context: BankContext,
  proofJkt: string | undefined,
): Omit<PushedRequest, 'pushedAt' | 'expiresAt'> {
  if (params.response_type !== 'code') {
    throw new OAuthError(
      parRules.responseTypeCode,
      `got ${echo(params.response_type ?? 'nothing')}`,
    )
  }
  const redirectUri = optionalString(params.redirect_uri)
  if (redirectUri === undefined) throw new OAuthError(parRules.redirectUriRequired)
  if (!redirectUri.startsWith('https://')) {
    throw new OAuthError(parRules.redirectUriHttps, `got ${echo(redirectUri)}`)
  }
  // RFC 9700 section 4.1.3: exact string comparison, no normalisation, no patterns.
  if (!(client.metadata.redirect_uris ?? []).includes(redirectUri)) {
    throw new OAuthError(parRules.redirectUriRegistered, `got ${echo(redirectUri)}`)
  }
  checkPkceChallenge({
    code_challenge: optionalString(params.code_challenge),
    code_challenge_method: optionalString(params.code_challenge_method),
  })
  const responseMode = responseModeFor(params.response_mode, client, context)

  const scope = optionalString(params.scope)
  if (scope !== undefined) {
    const supported: readonly string[] = SCOPES_SUPPORTED
    const unknown = scope.split(' ').filter((name) => !supported.includes(name))
    if (unknown.length > 0) {
      throw new OAuthError(parRules.unknownScope, `unknown: ${echo(unknown.join(' '))}`)
    }
  }
  const details =
    params.authorization_details === undefined
      ? undefined
      : checkAuthorizationDetails(params.authorization_details as string | unknown[], client)
  if (scope === undefined && details === undefined) throw new OAuthError(parRules.nothingRequested)

  // RFC 9449 section 10.1: with both, dpop_jkt must name the proof's key.
  const dpopJkt = optionalString(params.dpop_jkt)
  if (dpopJkt !== undefined && proofJkt !== undefined && dpopJkt !== proofJkt) {
    throw new OAuthError(parRules.dpopJktMismatch)
  }
  return {
    clientId: client.clientId,
    redirectUri,
    responseMode,
    scope,
    authorizationDetails: details,
    state: optionalString(params.state),
    nonce: optionalString(params.nonce),
    codeChallenge: params.code_challenge as string,
    dpopJkt: dpopJkt ?? proofJkt,
    loginHint: optionalString(params.login_hint),
    prompt: optionalString(params.prompt),
  }
}
