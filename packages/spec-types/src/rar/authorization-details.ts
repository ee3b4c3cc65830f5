/**
 * The `authorization_details` parameter and token response member (RFC 9396 sections 2, 3, 7):
 * a non-empty array of objects discriminated on `type`.
 * @see https://www.rfc-editor.org/rfc/rfc9396.html#section-2
 */
import Type, { type Static } from 'typebox'
import { DiscriminatedUnion, embed } from '../json-schema.js'
import { AccountInformationSchema } from './account-information.js'
import { PaymentInitiationSchema } from './payment-initiation.js'

/** The types the sandbox banks understand; any other is `invalid_authorization_details` (section 5). */
export const AUTHORIZATION_DETAILS_TYPES = ['account_information', 'payment_initiation'] as const
export type AuthorizationDetailsType = (typeof AUTHORIZATION_DETAILS_TYPES)[number]

/** One authorization details object. */
export const AuthorizationDetailSchema = DiscriminatedUnion(
  'type',
  [AccountInformationSchema, PaymentInitiationSchema],
  { $id: 'AuthorizationDetail' },
)
export type AuthorizationDetail = Static<typeof AuthorizationDetailSchema>

/** RFC 9396 section 2: a JSON array of one or more authorization details objects. */
export const AuthorizationDetailsSchema = Type.Array(embed(AuthorizationDetailSchema), {
  $id: 'AuthorizationDetails',
  minItems: 1,
  maxItems: 10,
})
export type AuthorizationDetails = Static<typeof AuthorizationDetailsSchema>

/**
 * What a client accepts from an AS it does not control (RFC 9396 section 7: details in the token
 * response may carry members the client did not ask for): objects with a string `type`, open.
 */
export const AuthorizationDetailsOpenSchema = Type.Array(
  Type.Object({ type: Type.String({ minLength: 1 }) }),
  { $id: 'AuthorizationDetailsOpen' },
)
export type AuthorizationDetailsOpen = Static<typeof AuthorizationDetailsOpenSchema>
