/**
 * An account balance (ISO 20022 BalanceType: booked CLBD, interim available ITAV), unsigned with a
 * credit/debit indicator.
 */
import Type, { type Static } from 'typebox'
import { DateTime, embed, StringEnum } from '../json-schema.js'
import { AccountIdSchema } from './account.js'
import { AmountSchema, CreditDebitIndicatorSchema } from './money.js'

/**
 * `booked`: closing booked balance, settled entries only (ISO 20022 CLBD).
 * `available`: booked plus pending, minus holds, plus any credit line it includes (ISO 20022 ITAV).
 */
export const BALANCE_TYPES = ['booked', 'available'] as const
export type BalanceType = (typeof BALANCE_TYPES)[number]

export const BalanceSchema = Type.Object(
  {
    accountId: embed(AccountIdSchema),
    type: StringEnum(BALANCE_TYPES),
    amount: embed(AmountSchema),
    /** `debit` means the account is overdrawn (or, for a card, money is owed). */
    creditDebitIndicator: embed(CreditDebitIndicatorSchema),
    dateTime: DateTime(),
    /** The agreed limit of a credit card or overdraft. */
    creditLine: Type.Optional(embed(AmountSchema)),
  },
  { $id: 'Balance', additionalProperties: false },
)
export type Balance = Static<typeof BalanceSchema>

/** `GET /accounts/{accountId}/balances` response body. */
export const BalanceListSchema = Type.Object(
  { balances: Type.Array(embed(BalanceSchema)) },
  { $id: 'BalanceList', additionalProperties: false },
)
export type BalanceList = Static<typeof BalanceListSchema>
