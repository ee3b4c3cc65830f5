/**
 * Who is calling and what their token permits, decided on every request (FAPI 2.0 SP 5.3.4):
 * the kit's resource-request check (header, token, proof or certificate, revocation, grant),
 * then the permissions of the `authorization_details` the token carries (RFC 9396 section 9).
 */
import type { AccessTokenClaims } from '@sandbox/fapi/access-token'
import { authorizeResourceRequest } from '@sandbox/fapi/resource-request'
import { resourceRequestOf } from '@sandbox/service-kit/resource-request'
import type { AccountInformationAction } from '@sandbox/spec-types/rar/account-information'
import type { PaymentInitiation } from '@sandbox/spec-types/rar/payment-initiation'
import { effectiveStatus, type GrantRecord } from '@sandbox/store/repositories/grants'
import type { FastifyRequest } from 'fastify'
import { ApiProblem } from '../problem.js'
import { apiRules } from '../rules.js'

/** The caller of one request, once its token is accepted. */
export interface Caller {
  claims: AccessTokenClaims
  clientId: string
  /** The grant of a user's token; absent for a client_credentials token. */
  grant?: GrantRecord | undefined
  /** The customer the grant is for; absent for a client_credentials token. */
  customerId?: string | undefined
  /** Unix seconds when the request was authorized, for the details' own `expiresAt`. */
  at: number
}

/**
 * Accepts the request's access token or throws the OAuthError the scope answers with a challenge.
 * @throws OAuthError RS-01, RS-03, RS-04, RS-06, RS-07, RS-09, RS-11, AS-SC-01..14
 */
export async function authorizeCaller(request: FastifyRequest): Promise<Caller> {
  const { bank } = request
  const now = bank.now()
  const path = request.url.split('?', 1)[0] ?? ''
  let grant: GrantRecord | undefined
  const { claims, proof } = await authorizeResourceRequest(
    // The bank's base URL is its public origin and prefix; the route's path follows it.
    resourceRequestOf(
      request,
      `${bank.baseUrl}${path.slice(bank.bank.id.length + 1)}`,
      request.clientCertificate(),
    ),
    {
      senderConstraint: bank.bank.profile.senderConstraint,
      issuer: bank.trusted.issuer,
      audience: bank.baseUrl,
      keys: bank.trusted.keys(),
      now,
      seenJti: bank.seenJti,
      nonces: bank.dpopNonces,
      isRevoked: (jti) => bank.store.revokedAccessTokens.isRevoked(jti),
      grantInactive: async (grantId) => {
        grant = await bank.store.grants.get(grantId)
        if (grant === undefined) return 'gone'
        const status = effectiveStatus(grant, now)
        return status === 'active' ? undefined : status
      },
    },
    (rule) => request.trace.pass(rule),
  )
  request.trace.verified('access token')
  if (proof !== undefined) request.trace.verified('DPoP header')
  if (grant !== undefined && grant.customerId !== claims.sub) {
    // The bank signed both; a mismatch would be the bank's own bug, so no access either way.
    throw new ApiProblem(
      apiRules.dataKindNotGranted,
      'the token and its grant name different customers',
    )
  }
  return { claims, clientId: claims.client_id, grant, customerId: grant?.customerId, at: now }
}

type AccountDetail = {
  type: 'account_information'
  actions: readonly string[]
  accounts?: readonly string[]
  expiresAt?: string
}

/** The token's account_information details still in force: `expiresAt` ends one early. */
function accountDetails(caller: Caller): AccountDetail[] {
  return (caller.claims.authorization_details ?? []).filter(
    (detail): detail is AccountDetail & Record<string, unknown> =>
      detail.type === 'account_information' &&
      Array.isArray(detail.actions) &&
      (typeof detail.expiresAt !== 'string' || Date.parse(detail.expiresAt) / 1000 > caller.at),
  )
}

/** The account ids the token may use for `action`; empty when it may not use any. */
export function grantedAccounts(caller: Caller, action: AccountInformationAction): Set<string> {
  const ids = new Set<string>()
  for (const detail of accountDetails(caller)) {
    if (!detail.actions.includes(action)) continue
    for (const id of detail.accounts ?? []) ids.add(id)
  }
  return ids
}

/**
 * The customer a user's token acts for, and proof that it may `action` at all.
 * @throws ApiProblem RS-05 when the token has no account_information detail with the action
 */
export function requireAction(caller: Caller, action: AccountInformationAction): string {
  const customerId = caller.customerId
  if (customerId === undefined || !accountDetails(caller).some((d) => d.actions.includes(action))) {
    throw new ApiProblem(
      apiRules.dataKindNotGranted,
      `this needs account_information with action ${action}`,
      'accounts',
    )
  }
  return customerId
}

/**
 * Checks that the token may `action` on `accountId`. The caller first established that the
 * account is the customer's (else 404, RFC 9110 section 15.5.4).
 * @throws ApiProblem RS-05 (the action, or the account, was not consented)
 */
export function requireAccount(
  caller: Caller,
  accountId: string,
  action: AccountInformationAction,
): void {
  requireAction(caller, action)
  if (!grantedAccounts(caller, action).has(accountId)) {
    throw new ApiProblem(
      apiRules.accountNotGranted,
      `account ${accountId} was not consented for ${action}`,
      'accounts',
    )
  }
}

/**
 * The consented payment of a payment token (RFC 9396 section 2: one `payment_initiation` detail).
 * @throws ApiProblem RS-05 when the token carries none
 */
export function consentedPayment(caller: Caller): PaymentInitiation {
  const detail = caller.claims.authorization_details?.find((d) => d.type === 'payment_initiation')
  if (detail === undefined || caller.grant === undefined) {
    throw new ApiProblem(
      apiRules.paymentNotGranted,
      'this token has no payment_initiation authorization details',
      'payments',
    )
  }
  return detail as unknown as PaymentInitiation
}
