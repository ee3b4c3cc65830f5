/**
 * What a token sent to introspection (RFC 7662 section 2.1) or revocation (RFC 7009 section 2.1)
 * is: one of the bank's JWT access tokens (RFC 9068) or one of its refresh tokens (kept hashed).
 */
import { type AccessTokenClaims, verifyAccessToken } from '@sandbox/fapi/access-token'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { COMPACT_JWS_PATTERN } from '@sandbox/spec-types/oauth/client-authentication'
import type { RefreshTokenRecord } from '@sandbox/store/repositories/refresh-tokens'
import type { BankContext } from '../bank-context.js'
import { hashToken } from '../random.js'

export type PresentedToken =
  | { kind: 'access_token'; clientId: string; claims: AccessTokenClaims }
  | { kind: 'refresh_token'; clientId: string; record: RefreshTokenRecord }

const COMPACT_JWS = new RegExp(COMPACT_JWS_PATTERN)

/** A JWT the bank signed for its resource server, unexpired; `undefined` for anything else. */
async function findAccessToken(
  bank: BankContext,
  token: string,
): Promise<PresentedToken | undefined> {
  if (!COMPACT_JWS.test(token)) return undefined
  try {
    const claims = await verifyAccessToken({
      token,
      issuer: bank.issuer,
      audience: bank.resourceServer,
      now: bank.now(),
      keys: bank.keys.publicJwks(),
    })
    return { kind: 'access_token', clientId: claims.client_id, claims }
  } catch (error) {
    // RFC 7662 section 2.2, RFC 7009 section 2.2: a token that fails verification is simply not one.
    if (error instanceof OAuthError) return undefined
    throw error
  }
}

async function findRefreshToken(
  bank: BankContext,
  token: string,
): Promise<PresentedToken | undefined> {
  const record = await bank.store.refreshTokens.get(await hashToken(token))
  return record === undefined
    ? undefined
    : { kind: 'refresh_token', clientId: record.clientId, record }
}

/**
 * Identifies a presented token. The hint only orders the lookups: when the hinted kind does not
 * match, the other is tried too (RFC 7009 section 2.1; RFC 7662 section 2.1), and hint values
 * the bank does not know are ignored.
 * @see https://www.rfc-editor.org/rfc/rfc7009.html#section-2.1
 */
export async function findPresentedToken(
  bank: BankContext,
  token: string,
  hint: string | undefined,
): Promise<PresentedToken | undefined> {
  const lookups =
    hint === 'refresh_token'
      ? [findRefreshToken, findAccessToken]
      : [findAccessToken, findRefreshToken]
  for (const lookup of lookups) {
    const found = await lookup(bank, token)
    if (found !== undefined) return found
  }
  return undefined
}
