import { describe, test } from 'vitest'
import { PayeeListSchema, PayeeSchema } from '../../src/banking/payee.js'
import { expectInvalid, expectValid } from '../support/validate.js'

const payee = {
  payeeId: 'payee-1',
  accountId: 'acc-1',
  name: 'Landlord Ltd',
  account: { scheme: 'SortCodeAccountNumber', sortCode: '401276', accountNumber: '41234567' },
  reference: 'RENT FLAT 2',
}

describe('Payee', () => {
  test('accepts a payee and a list', () => {
    expectValid(PayeeSchema, payee)
    expectValid(PayeeListSchema, { payees: [payee] })
  })
  test.each([
    ['missing account', { account: undefined }],
    ['empty name', { name: '' }],
    ['extra member', { iban: 'GB33BUKB20201555555555' }],
  ])('rejects %s', (_, change) =>
    expectInvalid(PayeeSchema, JSON.parse(JSON.stringify({ ...payee, ...change }))),
  )
})
