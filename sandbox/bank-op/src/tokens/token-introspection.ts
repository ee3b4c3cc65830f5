/**
 * The introspection result for a presented token (RFC 7662 section 2.2), with the binding
 * (RFC 9449 section 6.2, RFC 8705 section 3.2) and the granted details (RFC 9396 section 9.2).
 */
import type { IntrospectionResponse } from '@sandbox/spec-types/oauth/introspection'
import type { AuthorizationDetails } from '@sandbox/spec-types/rar/authorization-details'
import { effectiveStatus, type GrantRecord } from '@sandbox/store/repositories/grants'
import type { BankContext } from '../bank-context.js'
import type { PresentedToken } from './presented-token.js'

/** RFC 7662 section 2.2: an inactive token is answered with this and nothing else. */
export const INACTIVE: IntrospectionResponse = { active: false }

/** The grant behind a token if it is still in force; `null` for a token without one. */
async function grantInForce(
  bank: BankContext,
  grantId: string | undefined,
): Promise<GrantRecord | null | undefined> {
  if (grantId === undefined) return null
  const grant = await bank.store.grants.get(grantId)
  return grant !== undefined && effectiveStatus(grant, bank.now()) === 'active' ? grant : undefined
}

/**
 * Describes a token to the client that asked. Active only if the token was issued to that client
 * (sandbox policy for MS-JIR-01: a client learns nothing about others' tokens, which read as
 * inactive), is unexpired, not revoked, and its grant is still active.
 * @see https://www.rfc-editor.org/rfc/rfc7662.html#section-2.2
 */
export async function introspectToken(
  bank: BankContext,
  presented: PresentedToken | undefined,
  clientId: string,
): Promise<IntrospectionResponse> {
  if (presented === undefined || presented.clientId !== clientId) return INACTIVE
  if (presented.kind === 'access_token') {
    const { claims } = presented
    if (await bank.store.revokedAccessTokens.isRevoked(claims.jti)) return INACTIVE
    if ((await grantInForce(bank, claims.grant_id)) === undefined) return INACTIVE
    return {
      active: true,
      iss: claims.iss,
      client_id: claims.client_id,
      sub: claims.sub,
      aud: claims.aud,
      iat: claims.iat,
      exp: claims.exp,
      jti: claims.jti,
      ...(claims.scope === undefined ? {} : { scope: claims.scope }),
      // RFC 9449 section 6.2: a DPoP-bound token is of type DPoP; a certificate-bound one is Bearer.
      token_type: claims.cnf.jkt === undefined ? 'Bearer' : 'DPoP',
      cnf: claims.cnf,
      ...(claims.grant_id === undefined ? {} : { grant_id: claims.grant_id }),
      ...(claims.authorization_details === undefined
        ? {}
        : { authorization_details: claims.authorization_details as AuthorizationDetails }),
    }
  }
  const { record } = presented
  if (record.revokedAt !== undefined || record.expiresAt <= bank.now()) return INACTIVE
  const grant = await grantInForce(bank, record.grantId)
  if (!grant) return INACTIVE
  return {
    active: true,
    iss: bank.issuer,
    client_id: record.clientId,
    sub: grant.customerId,
    iat: record.createdAt,
    exp: record.expiresAt,
    ...(record.scope === undefined ? {} : { scope: record.scope }),
    grant_id: grant.id,
    ...(grant.authorizationDetails === undefined
      ? {}
      : { authorization_details: grant.authorizationDetails }),
  }
}
