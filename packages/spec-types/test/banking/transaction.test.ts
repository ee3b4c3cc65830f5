import { describe, test } from 'vitest'
import { TransactionListSchema, TransactionSchema } from '../../src/banking/transaction.js'
import { expectInvalid, expectValid } from '../support/validate.js'
import { transaction } from './fixtures.js'

describe('Transaction', () => {
  test('accepts a card payment, a pending salary with a counterparty and a page', () => {
    expectValid(TransactionSchema, transaction)
    const { merchant: _merchant, ...rest } = transaction
    expectValid(TransactionSchema, {
      ...rest,
      status: 'pending',
      creditDebitIndicator: 'credit',
      category: 'income',
      counterparty: {
        name: 'Acme Ltd',
        account: { scheme: 'IBAN', iban: 'GB33BUKB20201555555555' },
      },
    })
    expectValid(TransactionListSchema, { transactions: [transaction], nextCursor: 'abc' })
  })
  test.each([
    ['unknown category', { category: 'gambling' }],
    ['bad merchant code', { merchant: { name: 'Shop', categoryCode: '54' } }],
    ['signed amount', { amount: { amount: '-42.10', currency: 'GBP' } }],
    ['currency without minor units check', { amount: { amount: '42.10', currency: 'JPY' } }],
    ['bad booking date', { bookingDateTime: '2025-13-01T00:00:00Z' }],
    ['unknown status', { status: 'cleared' }],
    ['extra member', { mcc: '5411' }],
    [
      'running balance with sign',
      { runningBalance: { amount: '-1.00', currency: 'GBP', creditDebitIndicator: 'debit' } },
    ],
  ])('rejects %s', (_, change) => expectInvalid(TransactionSchema, { ...transaction, ...change }))
})
