/**
 * An account transaction (ISO 20022 camt.052/053 entry, simplified): unsigned amount with a
 * credit/debit indicator, booking and value dates, and a running balance.
 */
import Type, { type Static } from 'typebox'
import { DateTime, embed, StringEnum } from '../json-schema.js'
import { AccountIdSchema } from './account.js'
import { AccountIdentificationSchema } from './account-identification.js'
import { CurrencyCodeSchema } from './currency.js'
import { AmountSchema, CreditDebitIndicatorSchema, DECIMAL_AMOUNT_PATTERN } from './money.js'

/** `booked` is settled (ISO 20022 BOOK); `pending` may still change or vanish (PDNG). */
export const TRANSACTION_STATUSES = ['booked', 'pending'] as const
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number]

/** The sandbox's own spending categories (closed set, so the fintech can chart them). */
export const TRANSACTION_CATEGORIES = [
  'opening_balance',
  'income',
  'housing',
  'utilities',
  'local_tax',
  'groceries',
  'eating_out',
  'transport',
  'subscriptions',
  'shopping',
  'health',
  'cash',
  'payments',
  'transfers',
  'credit_card_repayment',
  'interest',
] as const
export type TransactionCategory = (typeof TRANSACTION_CATEGORIES)[number]

export const MerchantSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 140 }),
    /** ISO 18245 merchant category code (four digits). */
    categoryCode: Type.Optional(Type.String({ pattern: '^[0-9]{4}$' })),
  },
  { $id: 'Merchant', additionalProperties: false },
)
export type Merchant = Static<typeof MerchantSchema>

export const CounterpartySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 140 }),
    account: Type.Optional(embed(AccountIdentificationSchema)),
  },
  { $id: 'Counterparty', additionalProperties: false },
)
export type Counterparty = Static<typeof CounterpartySchema>

/** The account balance after this entry, in the same unsigned-plus-indicator form. */
export const RunningBalanceSchema = Type.Object(
  {
    amount: Type.String({ pattern: DECIMAL_AMOUNT_PATTERN }),
    currency: embed(CurrencyCodeSchema),
    creditDebitIndicator: embed(CreditDebitIndicatorSchema),
  },
  { $id: 'RunningBalance', additionalProperties: false },
)
export type RunningBalance = Static<typeof RunningBalanceSchema>

export const TransactionSchema = Type.Object(
  {
    transactionId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    accountId: embed(AccountIdSchema),
    status: StringEnum(TRANSACTION_STATUSES),
    bookingDateTime: DateTime(),
    valueDateTime: Type.Optional(DateTime()),
    amount: embed(AmountSchema),
    creditDebitIndicator: embed(CreditDebitIndicatorSchema),
    category: StringEnum(TRANSACTION_CATEGORIES),
    merchant: Type.Optional(embed(MerchantSchema)),
    counterparty: Type.Optional(embed(CounterpartySchema)),
    /** Remittance text as shown on a statement. */
    reference: Type.Optional(Type.String({ maxLength: 140 })),
    runningBalance: Type.Optional(embed(RunningBalanceSchema)),
  },
  { $id: 'Transaction', additionalProperties: false },
)
export type Transaction = Static<typeof TransactionSchema>

/** Links between the pages of a listing (absolute URLs; RFC 8288 relation names). */
export const PageLinksSchema = Type.Object(
  {
    self: Type.String({ format: 'uri' }),
    next: Type.Optional(Type.String({ format: 'uri' })),
    prev: Type.Optional(Type.String({ format: 'uri' })),
  },
  { $id: 'PageLinks', additionalProperties: false },
)
export type PageLinks = Static<typeof PageLinksSchema>

/** `GET /accounts/{accountId}/transactions` response body; `nextCursor` pages backwards in time. */
export const TransactionListSchema = Type.Object(
  {
    transactions: Type.Array(embed(TransactionSchema)),
    nextCursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    /** The same listing with the same filters: this page, the next (older) and the previous (newer). */
    links: Type.Optional(embed(PageLinksSchema)),
  },
  { $id: 'TransactionList', additionalProperties: false },
)
export type TransactionList = Static<typeof TransactionListSchema>
