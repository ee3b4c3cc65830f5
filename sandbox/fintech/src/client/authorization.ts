/**
 * The authorization-code flow as the fintech runs it, in request/process pairs: push the request
 * (RFC 9126) with PKCE S256 (RFC 7636) and state, send the browser with `client_id` and
 * `request_uri` only, validate the response (`state`, `iss` per RFC 9207, JARM), then redeem the
 * code sender-constrained and check the token response (RFC 6749 section 5.1, OIDC Core 3.1.3.7).
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { validateIdToken } from '@sandbox/fapi/id-token'
import { verifyJarmResponse } from '@sandbox/fapi/jarm'
import { calculatePkceChallenge } from '@sandbox/fapi/pkce'
import { createRequestObject } from '@sandbox/fapi/request-object'
import type { AuthorizationDetailsOpen } from '@sandbox/spec-types/rar/authorization-details'
import { decodeJwt } from 'jose'
import { fintechRules } from '../rules.js'
import type { BankClient } from './bank-client.js'
import { type HttpsResponse, jsonObject } from './https.js'

/** An authorization request in flight: what the fintech keeps, server side, until the callback. */
export interface PendingAuthorization {
  /** Sent as `x-fapi-interaction-id` with the flow's back-channel requests (a UUID). */
  interactionId: string
  bankId: string
  issuer: string
  state: string
  nonce: string
  codeVerifier: string
  redirectUri: string
  requestUri: string
  responseMode: 'query' | 'jwt'
  /** Seconds since the epoch when the request_uri stops working. */
  expiresAt: number
}

/** The bank answered with an OAuth error (RFC 6749 section 5.2 or 4.1.2.1). */
export class BankRefusal extends Error {
  readonly error: string
  readonly description: string | undefined
  readonly status: number
  constructor(step: string, status: number, error: string, description?: string) {
    super(`${step}: ${error}${description === undefined ? '' : ` (${description})`}`)
    this.name = 'BankRefusal'
    this.error = error
    this.description = description
    this.status = status
  }
}

function refusalOf(step: string, res: HttpsResponse): BankRefusal {
  const body = jsonObject(res)
  const error = typeof body?.error === 'string' ? body.error : `http_${res.status}`
  const description =
    typeof body?.error_description === 'string' ? body.error_description : undefined
  return new BankRefusal(step, res.status, error, description)
}

const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url')

export interface AuthorizationRequestInput {
  redirectUri: string
  scope: string
  authorizationDetails: readonly Record<string, unknown>[]
}

/**
 * Pushes an authorization request (RFC 9126 section 2) with a fresh state, nonce and PKCE verifier
 * (CL-03), signed as a request object where the bank is set up for it (RFC 9101), and returns what
 * the callback needs.
 * @throws BankRefusal when the bank refuses the request
 * @see https://www.rfc-editor.org/rfc/rfc9126.html#section-2.1
 */
export async function pushAuthorizationRequest(
  client: BankClient,
  input: AuthorizationRequestInput,
  now: number,
): Promise<PendingAuthorization> {
  const { provider } = client
  const codeVerifier = randomToken()
  const state = randomToken(16)
  // CL-17: a nonce of at most 64 characters (22 here).
  const nonce = randomToken(16)
  const parameters = {
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: input.redirectUri,
    scope: input.scope,
    state,
    nonce,
    code_challenge: await calculatePkceChallenge(codeVerifier),
    code_challenge_method: 'S256',
    authorization_details: JSON.stringify(input.authorizationDetails),
    ...(provider.responseMode === 'jwt' ? { response_mode: 'jwt' } : {}),
  }
  let fields: Record<string, string> = parameters
  if (provider.signedRequestObject) {
    if (provider.clientAuth.method !== 'private_key_jwt') {
      throw new TypeError(`${provider.id}: signed request objects need a signing key`)
    }
    const { key, alg, kid } = provider.clientAuth
    fields = {
      client_id: provider.clientId,
      request: await createRequestObject(
        { ...parameters, authorization_details: input.authorizationDetails },
        { clientId: provider.clientId, issuer: provider.issuer, key: { key, alg, kid }, now },
      ),
    }
  }
  const interactionId = randomUUID()
  const res = await client.post('pushed_authorization_request_endpoint', fields, interactionId)
  const body = jsonObject(res)
  if (res.status !== 201 || typeof body?.request_uri !== 'string') {
    throw refusalOf('pushed authorization request', res)
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 60
  return {
    interactionId,
    bankId: provider.id,
    issuer: provider.issuer,
    state,
    nonce,
    codeVerifier,
    redirectUri: input.redirectUri,
    requestUri: body.request_uri,
    responseMode: provider.responseMode,
    expiresAt: now + expiresIn,
  }
}

/** Where the browser goes: the authorization endpoint with `client_id` and `request_uri` only (CL-02). */
export async function authorizationUrl(
  client: BankClient,
  pending: PendingAuthorization,
): Promise<string> {
  const { metadata } = await client.metadata()
  const url = new URL(metadata.authorization_endpoint)
  url.search = new URLSearchParams({
    client_id: client.provider.clientId,
    request_uri: pending.requestUri,
  }).toString()
  return url.toString()
}

/**
 * The `state` a callback names, read before anything is verified so the flow it belongs to (and
 * with it the bank whose keys verify a JARM response) can be found. Nothing else is trusted yet.
 */
export function callbackState(query: Readonly<Record<string, string>>): string | undefined {
  if (query.response === undefined) return query.state
  try {
    const state = decodeJwt(query.response).state
    return typeof state === 'string' ? state : undefined
  } catch {
    return undefined
  }
}

declare const validated: unique symbol
/** An authorization response that passed every check; only this can be redeemed (STYLE rule 7). */
export type ValidatedCallback = { readonly code: string; readonly [validated]: true }

/**
 * Validates the authorization response for `pending`: for a JARM response (FAPI 2.0 MS 5.4) its
 * signature with the bank's published keys, `iss`, `aud` and `exp`; otherwise `iss` present and
 * equal to the issuer the flow started at (RFC 9207 section 2.4: this is the mix-up defence,
 * CL-04); `state` equal (CL-05). An error response is only believed after the same checks.
 * @throws OAuthError CL-04, CL-05, MS-JARM-06
 * @throws BankRefusal when the bank answered an error (access_denied, ...)
 */
export async function validateAuthResponse(
  client: BankClient,
  pending: PendingAuthorization,
  query: Readonly<Record<string, string>>,
  now: number,
): Promise<ValidatedCallback> {
  let params: Record<string, string | undefined>
  if (pending.responseMode === 'jwt') {
    if (query.response === undefined) throw new OAuthError(fintechRules.jarmRequired)
    const { jwks } = await client.metadata()
    // The JWT's own iss, aud and exp are checked here (MS-JARM-06).
    params = await verifyJarmResponse({
      response: query.response,
      issuer: pending.issuer,
      clientId: client.provider.clientId,
      now,
      jwks,
    })
  } else {
    if (query.iss === undefined) throw new OAuthError(fintechRules.issuerMissing)
    if (query.iss !== pending.issuer) {
      throw new OAuthError(
        fintechRules.issuerMismatch,
        `expected ${echo(pending.issuer)}, got ${echo(query.iss)}`,
      )
    }
    params = query
  }
  if (params.state === undefined) throw new OAuthError(fintechRules.stateMissing)
  if (params.state !== pending.state) {
    throw new OAuthError(fintechRules.stateUnknown, 'the state differs from the one sent')
  }
  if (params.error !== undefined) {
    throw new BankRefusal('authorization', 400, params.error, params.error_description)
  }
  if (params.code === undefined || params.code === '') {
    throw new BankRefusal('authorization', 400, 'invalid_request', 'no code in the response')
  }
  return { code: params.code } as ValidatedCallback
}

/** What the fintech keeps of a token response. */
export interface Tokens {
  accessToken: string
  /** Seconds since the epoch; undefined when the bank did not say (RFC 6749 section 5.1, CL-12). */
  accessExpiresAt: number | undefined
  refreshToken: string | undefined
  scope: string | undefined
  grantId: string | undefined
  authorizationDetails: AuthorizationDetailsOpen | undefined
}

/**
 * Checks a token response: 200 with a JSON object, an `access_token`, a `token_type` of the
 * binding the bank promised read case-insensitively (RFC 6749 section 7.1, CL-09), and an ID token
 * when there is one (OIDC Core 3.1.3.7, CL-11).
 * @throws BankRefusal when the bank answered an error
 * @throws OAuthError CL-07 for another token_type, CL-11 for an ID token that fails validation
 */
export async function processTokenResponse(
  client: BankClient,
  res: HttpsResponse,
  now: number,
  expected: { nonce?: string | undefined } = {},
): Promise<Tokens> {
  const body = jsonObject(res)
  if (res.status !== 200 || body === undefined) throw refusalOf('token', res)
  const { access_token, token_type, expires_in, refresh_token, scope, grant_id, id_token } = body
  const binding = client.provider.senderConstraint === 'dpop' ? 'dpop' : 'bearer'
  if (typeof access_token !== 'string' || access_token === '') {
    throw new BankRefusal('token', res.status, 'invalid_response', 'no access_token')
  }
  if (typeof token_type !== 'string' || token_type.toLowerCase() !== binding) {
    throw new OAuthError(
      fintechRules.tokenBinding,
      `got ${echo(String(token_type))}, not ${binding}`,
    )
  }
  if (typeof id_token === 'string') {
    const { jwks } = await client.metadata()
    await validateIdToken({
      idToken: id_token,
      issuer: client.provider.issuer,
      clientId: client.provider.clientId,
      nonce: expected.nonce,
      now,
      jwks,
    })
  }
  return {
    accessToken: access_token,
    accessExpiresAt:
      typeof expires_in === 'number' && expires_in > 0 ? now + expires_in : undefined,
    refreshToken: typeof refresh_token === 'string' ? refresh_token : undefined,
    scope: typeof scope === 'string' ? scope : undefined,
    grantId: typeof grant_id === 'string' ? grant_id : undefined,
    authorizationDetails: Array.isArray(body.authorization_details)
      ? (body.authorization_details as AuthorizationDetailsOpen)
      : undefined,
  }
}

/**
 * Redeems a validated authorization code (RFC 6749 section 4.1.3) with the PKCE verifier, DPoP
 * or mutual TLS as the bank binds tokens.
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-4.1.3
 */
export async function exchangeCode(
  client: BankClient,
  callback: ValidatedCallback,
  pending: PendingAuthorization,
  now: () => number,
): Promise<Tokens> {
  const res = await client.post(
    'token_endpoint',
    {
      grant_type: 'authorization_code',
      code: callback.code,
      redirect_uri: pending.redirectUri,
      code_verifier: pending.codeVerifier,
    },
    pending.interactionId,
  )
  return processTokenResponse(client, res, now(), { nonce: pending.nonce })
}

/** New tokens for a refresh token (RFC 6749 section 6); the bank may rotate it (CL-13). */
export async function refreshTokens(
  client: BankClient,
  refreshToken: string,
  now: () => number,
): Promise<Tokens> {
  const res = await client.post('token_endpoint', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
  })
  const tokens = await processTokenResponse(client, res, now())
  return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken }
}

/** An application token (RFC 6749 section 4.4), e.g. to read a payment's status. */
export async function clientCredentials(
  client: BankClient,
  scope: string,
  now: () => number,
): Promise<Tokens> {
  const res = await client.post('token_endpoint', { grant_type: 'client_credentials', scope })
  return processTokenResponse(client, res, now())
}

/**
 * Revokes a token (RFC 7009 section 2.1); a refresh token ends its grant at the bank.
 * @throws BankRefusal when the bank refuses
 */
export async function revokeToken(
  client: BankClient,
  token: string,
  hint: 'refresh_token' | 'access_token',
): Promise<void> {
  const res = await client.post('revocation_endpoint', { token, token_type_hint: hint })
  if (res.status !== 200) throw refusalOf('revocation', res)
}
