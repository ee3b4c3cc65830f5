/**
 * A payment at the resource server, with a status modelled on ISO 20022 ExternalPaymentTransactionStatus1Code.
 * @see https://www.iso20022.org/catalogue-messages/additional-content-messages/external-code-sets
 */
import Type, { type Static } from 'typebox'
import { DateTime, StringEnum } from '../json-schema.js'
import { paymentInstructionProperties } from '../rar/payment-initiation.js'

/**
 * Wire values and their ISO 20022 codes:
 * - `pending` (PDNG): received, checks not finished;
 * - `accepted_settlement_in_process` (ACSP): checks passed, settlement started;
 * - `accepted_settlement_completed` (ACSC): the debtor's account is debited;
 * - `rejected` (RJCT): refused; `statusReason` says why.
 */
export const PAYMENT_STATUSES = [
  'pending',
  'accepted_settlement_in_process',
  'accepted_settlement_completed',
  'rejected',
] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]

export const PAYMENT_STATUS_ISO20022 = {
  pending: 'PDNG',
  accepted_settlement_in_process: 'ACSP',
  accepted_settlement_completed: 'ACSC',
  rejected: 'RJCT',
} as const satisfies Record<PaymentStatus, string>

/**
 * `POST /payments` request body: the same members as the `payment_initiation` details the user
 * consented to, which the bank compares with the grant.
 */
export const PaymentRequestSchema = Type.Object(paymentInstructionProperties, {
  $id: 'PaymentRequest',
  additionalProperties: false,
})
export type PaymentRequest = Static<typeof PaymentRequestSchema>

export const PaymentSchema = Type.Object(
  {
    paymentId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    status: StringEnum(PAYMENT_STATUSES),
    /** Why the payment was rejected (ISO 20022 status reason, free text here). */
    statusReason: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
    ...paymentInstructionProperties,
    createdAt: DateTime(),
    statusUpdatedAt: DateTime(),
  },
  { $id: 'Payment', additionalProperties: false },
)
export type Payment = Static<typeof PaymentSchema>
