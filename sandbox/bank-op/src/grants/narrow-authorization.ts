/**
 * Narrowing at the token endpoint: `authorization_details` (RFC 9396 section 6.1, 6.2) and a
 * refresh request's `scope` (RFC 6749 section 6) may ask for less than was granted, never more.
 */

import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { canonicalJson } from '@sandbox/spec-types/canonical-json'
import type { AccountInformation } from '@sandbox/spec-types/rar/account-information'
import type {
  AuthorizationDetail,
  AuthorizationDetails,
} from '@sandbox/spec-types/rar/authorization-details'
import type { PaymentInitiation } from '@sandbox/spec-types/rar/payment-initiation'
import { tokenRules } from '../rules/token.js'

const isSubset = (items: readonly string[] | undefined, of: readonly string[] | undefined) =>
  items === undefined || items.every((item) => of?.includes(item) === true)

/** Fewer actions, accounts, locations or an earlier end: what the request leaves out stays granted. */
function narrowAccountInformation(
  requested: AccountInformation,
  granted: AccountInformation,
): AccountInformation | undefined {
  if (!isSubset(requested.actions, granted.actions)) return undefined
  if (!isSubset(requested.accounts, granted.accounts)) return undefined
  if (!isSubset(requested.locations, granted.locations)) return undefined
  const end = requested.expiresAt ?? granted.expiresAt
  if (granted.expiresAt !== undefined && Date.parse(end ?? '') > Date.parse(granted.expiresAt)) {
    return undefined
  }
  return {
    type: 'account_information',
    actions: requested.actions,
    ...(requested.accounts === undefined && granted.accounts === undefined
      ? {}
      : { accounts: requested.accounts ?? granted.accounts }),
    ...(requested.locations === undefined && granted.locations === undefined
      ? {}
      : { locations: requested.locations ?? granted.locations }),
    ...(end === undefined ? {} : { expiresAt: end }),
  }
}

/** A payment cannot be partly authorised: the request names the granted one, member for member. */
function narrowPaymentInitiation(
  requested: PaymentInitiation,
  granted: PaymentInitiation,
): PaymentInitiation | undefined {
  const { debtorAccount, locations, ...instruction } = requested
  const {
    debtorAccount: grantedDebtor,
    locations: grantedLocations,
    ...grantedInstruction
  } = granted
  if (canonicalJson(instruction) !== canonicalJson(grantedInstruction)) return undefined
  if (
    debtorAccount !== undefined &&
    canonicalJson(debtorAccount) !== canonicalJson(grantedDebtor)
  ) {
    return undefined
  }
  if (!isSubset(locations, grantedLocations)) return undefined
  return locations === undefined ? granted : { ...granted, locations }
}

function narrowDetail(
  requested: AuthorizationDetail,
  granted: AuthorizationDetail,
): AuthorizationDetail | undefined {
  if (requested.type === 'account_information' && granted.type === 'account_information') {
    return narrowAccountInformation(requested, granted)
  }
  if (requested.type === 'payment_initiation' && granted.type === 'payment_initiation') {
    return narrowPaymentInitiation(requested, granted)
  }
  return undefined
}

/**
 * The details a token carries when the request names `authorization_details`: each requested
 * element must fit inside one granted element of its type.
 * @throws OAuthError RAR-07 (asks for more than was granted)
 * @see https://www.rfc-editor.org/rfc/rfc9396.html#section-6.1
 */
export function narrowAuthorizationDetails(
  requested: AuthorizationDetails,
  granted: AuthorizationDetails | undefined,
): AuthorizationDetails {
  const narrowed = requested.map((detail, index) => {
    for (const candidate of granted ?? []) {
      const fit = narrowDetail(detail, candidate)
      if (fit !== undefined) return fit
    }
    throw new OAuthError(
      tokenRules.authorizationDetailsWidened,
      `element ${index} (${detail.type}) is not within the granted details`,
    )
  })
  return narrowed as AuthorizationDetails
}

/**
 * The scope of a refreshed token: the requested scope tokens, each of which was granted.
 * @throws OAuthError AS-RT-05
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-6
 */
export function narrowScope(requested: string, granted: string | undefined): string {
  const grantedNames = granted?.split(' ') ?? []
  const names = [...new Set(requested.split(' ').filter((name) => name !== ''))]
  const extra = names.filter((name) => !grantedNames.includes(name))
  if (names.length === 0) throw new OAuthError(tokenRules.scopeWidened, 'it names no scope')
  if (extra.length > 0) {
    throw new OAuthError(tokenRules.scopeWidened, `not granted: ${echo(extra.join(' '))}`)
  }
  return names.join(' ')
}
