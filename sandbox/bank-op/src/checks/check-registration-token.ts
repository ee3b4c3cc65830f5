/**
 * The registration access token of client management (RFC 7592 section 2: a Bearer token, RFC
 * 6750 section 2.1), checked against the hash the bank keeps (RFC 7592 section 3).
 */
import { timingSafeEqual } from 'node:crypto'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { renderChallenge } from '@sandbox/fapi/errors/www-authenticate'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import type { FastifyRequest } from 'fastify'
import { hashToken } from '../random.js'
import { registrationRules } from '../rules/registration.js'

export interface ManagedClient {
  client: ClientRecord
  /** The token as presented: RFC 7592 section 3 returns it in every client information response. */
  registrationAccessToken: string
}

/** RFC 6750 section 2.1: `Bearer` (any case), one space, a b64token. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i

function sameHash(presented: string, stored: string | undefined): boolean {
  if (stored === undefined) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(stored)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Authenticates a client configuration request. An unknown client answers exactly as a wrong token
 * does (RFC 7592 section 2: 401, never 404, so the endpoint does not reveal which clients exist).
 * @throws OAuthError DCR-11 (401 invalid_token with a Bearer challenge)
 * @see https://www.rfc-editor.org/rfc/rfc7592.html#section-2
 */
export async function checkRegistrationToken(
  request: FastifyRequest,
  clientId: string,
): Promise<ManagedClient> {
  const { bank } = request
  const realm = bank.issuer
  const match = BEARER.exec(request.headers.authorization ?? '')
  const token = match?.[1]
  if (token === undefined) {
    // RFC 6750 section 3.1: a request without credentials gets a challenge without an error code.
    throw new OAuthError(
      registrationRules.registrationToken,
      'send it as Authorization: Bearer <registration_access_token>',
      { 'www-authenticate': renderChallenge({ scheme: 'Bearer', realm }) },
    )
  }
  const [client, presentedHash] = await Promise.all([
    bank.store.clients.get(clientId),
    hashToken(token),
  ])
  if (client === undefined || !sameHash(presentedHash, client.registrationTokenHash)) {
    throw new OAuthError(
      registrationRules.registrationToken,
      'the token is not valid for this client',
      { 'www-authenticate': renderChallenge({ scheme: 'Bearer', realm, error: 'invalid_token' }) },
    )
  }
  return { client, registrationAccessToken: token }
}
