import { describe, test } from 'vitest'
import { BalanceListSchema, BalanceSchema } from '../../src/banking/balance.js'
import { expectInvalid, expectValid } from '../support/validate.js'

const balance = {
  accountId: 'acc-1',
  type: 'booked',
  amount: { amount: '1024.00', currency: 'GBP' },
  creditDebitIndicator: 'credit',
  dateTime: '2025-01-31T23:59:59Z',
}

describe('Balance', () => {
  test('accepts booked, available, zero and a card with a credit line', () => {
    expectValid(BalanceSchema, balance)
    expectValid(BalanceSchema, {
      ...balance,
      type: 'available',
      amount: { amount: '0.00', currency: 'GBP' },
    })
    expectValid(BalanceSchema, {
      ...balance,
      creditDebitIndicator: 'debit',
      creditLine: { amount: '3000.00', currency: 'GBP' },
    })
    expectValid(BalanceListSchema, { balances: [balance] })
  })
  test.each([
    ['signed amount', { amount: { amount: '-5.00', currency: 'GBP' } }],
    ['unknown type', { type: 'expected' }],
    ['unknown indicator', { creditDebitIndicator: 'CRDT' }],
    ['bad date-time', { dateTime: '31/01/2025' }],
    ['extra member', { overdraft: true }],
  ])('rejects %s', (_, change) => expectInvalid(BalanceSchema, { ...balance, ...change }))
})
