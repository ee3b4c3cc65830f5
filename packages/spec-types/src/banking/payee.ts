/** A payee (beneficiary) saved by the customer, as the account information API lists it. */
import Type, { type Static } from 'typebox'
import { embed } from '../json-schema.js'
import { AccountIdSchema } from './account.js'
import { AccountIdentificationSchema } from './account-identification.js'

export const PayeeSchema = Type.Object(
  {
    payeeId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    /** The account it was listed through (the bank keeps payees per customer, for all their accounts). */
    accountId: embed(AccountIdSchema),
    name: Type.String({ minLength: 1, maxLength: 70 }),
    account: embed(AccountIdentificationSchema),
    /** Default reference for payments to this payee. */
    reference: Type.Optional(Type.String({ maxLength: 140 })),
  },
  { $id: 'Payee', additionalProperties: false },
)
export type Payee = Static<typeof PayeeSchema>

/** `GET /accounts/{accountId}/payees` response body. */
export const PayeeListSchema = Type.Object(
  { payees: Type.Array(embed(PayeeSchema)) },
  { $id: 'PayeeList', additionalProperties: false },
)
export type PayeeList = Static<typeof PayeeListSchema>
