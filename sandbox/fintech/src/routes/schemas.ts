/**
 * The fintech API's response shapes (fastify serializes with them; STYLE rule 2: no route without
 * response schemas). Banking members reuse spec-types, so the pages read what the banks send.
 */
import { AccountSchema } from '@sandbox/spec-types/banking/account'
import { BalanceSchema } from '@sandbox/spec-types/banking/balance'
import { BankBrandSchema } from '@sandbox/spec-types/banking/bank'
import { PayeeSchema } from '@sandbox/spec-types/banking/payee'
import { TransactionSchema } from '@sandbox/spec-types/banking/transaction'
import { embed } from '@sandbox/spec-types/json-schema'
import Type from 'typebox'

/** One bank's part of a page that could not be read, and what the user can do. */
export const BankProblemSchema = Type.Object({
  bankId: Type.String(),
  bankName: Type.String(),
  title: Type.String(),
  detail: Type.String(),
  action: Type.String(),
})

export const NoticeSchema = Type.Object({
  kind: Type.String(),
  title: Type.String(),
  message: Type.String(),
  rule: Type.Optional(Type.Object({ id: Type.String(), description: Type.String() })),
  reconnect: Type.Optional(Type.String()),
})

export const SessionSchema = Type.Object({
  csrfToken: Type.String(),
  banks: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      brand: embed(BankBrandSchema),
      currency: Type.String(),
      profile: Type.String(),
      connected: Type.Boolean(),
    }),
  ),
  durations: Type.Array(Type.Integer()),
  notice: Type.Optional(NoticeSchema),
})

export const AccountsSchema = Type.Object({
  banks: Type.Array(
    Type.Object({
      bankId: Type.String(),
      bankName: Type.String(),
      brand: embed(BankBrandSchema),
      connectionId: Type.String(),
      actions: Type.Array(Type.String()),
      accounts: Type.Array(
        Type.Object({ ...AccountSchema.properties, balances: Type.Array(embed(BalanceSchema)) }),
      ),
    }),
  ),
  problems: Type.Array(BankProblemSchema),
})

export const TransactionPageSchema = Type.Object({
  transactions: Type.Array(embed(TransactionSchema)),
  nextCursor: Type.Optional(Type.String()),
  prevCursor: Type.Optional(Type.String()),
})

export const SpendingSchema = Type.Object({
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      months: Type.Array(
        Type.Object({
          month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' }),
          /** Category to the amount spent, a decimal string. */
          categories: Type.Record(Type.String(), Type.String()),
        }),
      ),
    }),
  ),
  problems: Type.Array(BankProblemSchema),
})

export const PayeesSchema = Type.Object({
  payees: Type.Array(Type.Object({ ...PayeeSchema.properties, bankId: Type.String() })),
  problems: Type.Array(BankProblemSchema),
})
