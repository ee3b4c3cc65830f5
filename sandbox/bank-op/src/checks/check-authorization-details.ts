/**
 * `authorization_details` (RFC 9396): a JSON array of typed objects, each valid for its type's
 * schema from spec-types, and only of types the bank supports and the client registered.
 */
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { AccountInformationSchema } from '@sandbox/spec-types/rar/account-information'
import type {
  AuthorizationDetail,
  AuthorizationDetails,
  AuthorizationDetailsType,
} from '@sandbox/spec-types/rar/authorization-details'
import { PaymentInitiationSchema } from '@sandbox/spec-types/rar/payment-initiation'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import { Compile } from 'typebox/compile'
import { parRules } from '../rules/par.js'

const validators = {
  account_information: Compile(AccountInformationSchema),
  payment_initiation: Compile(PaymentInitiationSchema),
} as const satisfies Record<AuthorizationDetailsType, unknown>

const isSupportedType = (type: string): type is AuthorizationDetailsType =>
  Object.hasOwn(validators, type)

/** Sandbox policy P: one request asks for at most 10 details. */
const MAX_DETAILS = 10

/**
 * Parses and checks the `authorization_details` request parameter.
 * @throws OAuthError RAR-02 (unknown type), RAR-03 (structure), RAR-04 (type fields), RAR-05
 * (type not registered for the client)
 * @see https://www.rfc-editor.org/rfc/rfc9396.html#section-5
 */
export function checkAuthorizationDetails(
  value: string | unknown[],
  client: ClientRecord,
): AuthorizationDetails {
  let parsed: unknown = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      throw new OAuthError(parRules.authorizationDetailsSyntax, 'it is not JSON')
    }
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_DETAILS) {
    throw new OAuthError(
      parRules.authorizationDetailsSyntax,
      `it must be an array of 1 to ${MAX_DETAILS} objects`,
    )
  }
  const allowed = client.metadata.authorization_details_types
  return parsed.map((detail: unknown, index): AuthorizationDetail => {
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      throw new OAuthError(parRules.authorizationDetailsSyntax, `element ${index} is not an object`)
    }
    const { type } = detail as { type?: unknown }
    if (typeof type !== 'string') {
      throw new OAuthError(
        parRules.authorizationDetailsSyntax,
        `element ${index} has no string type`,
      )
    }
    if (!isSupportedType(type)) {
      throw new OAuthError(parRules.authorizationDetailsType, `got ${echo(type)}`)
    }
    if (allowed !== undefined && !allowed.includes(type)) {
      throw new OAuthError(
        parRules.authorizationDetailsTypeNotAllowed,
        `client ${echo(client.clientId)} registered ${allowed.join(', ')}`,
      )
    }
    const validator = validators[type]
    if (!validator.Check(detail)) {
      const [first] = validator.Errors(detail)
      const where = first?.instancePath === '' ? '' : ` at ${first?.instancePath ?? ''}`
      throw new OAuthError(
        parRules.authorizationDetailsFields,
        `${type}${where} ${first?.message ?? 'is invalid'}`,
      )
    }
    return detail as AuthorizationDetail
  })
}
