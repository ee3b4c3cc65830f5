/**
 * The `payment_initiation` authorization details type, with RFC 9396's own example member names
 * (`instructedAmount`, `creditorName`, `creditorAccount`, `remittanceInformationUnstructured`).
 * @see https://www.rfc-editor.org/rfc/rfc9396.html#section-2
 */
import Type, { type Static } from 'typebox'
import { AccountIdentificationSchema } from '../banking/account-identification.js'
import { PositiveAmountSchema } from '../banking/money.js'
import { embed, FullDate, HttpsUrl } from '../json-schema.js'

/**
 * The payment members shared by the authorization details and the payment request at the
 * resource server, so the bank can compare them member by member.
 * Lengths follow ISO 20022 (Max70Text for names, Max140Text for unstructured remittance).
 * `creditorAccount` adds a `scheme` member to the RFC example's `{ iban, bic }` so UK sort code
 * accounts can be addressed too.
 */
export const paymentInstructionProperties = {
  instructedAmount: embed(PositiveAmountSchema),
  creditorName: Type.String({ minLength: 1, maxLength: 70 }),
  creditorAccount: embed(AccountIdentificationSchema),
  /** The payer's account; when absent the user picks it on the consent page. */
  debtorAccount: Type.Optional(embed(AccountIdentificationSchema)),
  remittanceInformationUnstructured: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
  /** Absent means as soon as possible. */
  requestedExecutionDate: Type.Optional(FullDate()),
}

export const PaymentInitiationSchema = Type.Object(
  {
    type: Type.Literal('payment_initiation'),
    locations: Type.Optional(Type.Array(HttpsUrl(), { minItems: 1, uniqueItems: true })),
    ...paymentInstructionProperties,
  },
  { $id: 'PaymentInitiation', additionalProperties: false },
)
export type PaymentInitiation = Static<typeof PaymentInitiationSchema>
