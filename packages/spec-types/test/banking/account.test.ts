import { describe, test } from 'vitest'
import { AccountListSchema, AccountSchema } from '../../src/banking/account.js'
import { expectInvalid, expectValid } from '../support/validate.js'
import { account } from './fixtures.js'

describe('Account', () => {
  test('accepts a sort code account and an IBAN account', () => {
    expectValid(AccountSchema, account)
    expectValid(AccountSchema, {
      ...account,
      type: 'savings',
      currency: 'EUR',
      nickname: 'Rainy day',
      identification: { scheme: 'IBAN', iban: 'DE02100100109307118603', bic: 'PBNKDEFF' },
    })
    expectValid(AccountListSchema, { accounts: [account] })
  })
  test.each([
    ['unknown type', { type: 'loan' }],
    ['unknown status', { status: 'frozen' }],
    ['bad date', { openedAt: '2019-04-01' }],
    ['unknown scheme', { identification: { scheme: 'PAN', pan: '4111111111111111' } }],
    [
      'short sort code',
      {
        identification: {
          scheme: 'SortCodeAccountNumber',
          sortCode: '60-16-13',
          accountNumber: '31926819',
        },
      },
    ],
    [
      'IBAN members under the sort code scheme',
      { identification: { scheme: 'SortCodeAccountNumber', iban: 'DE02100100109307118603' } },
    ],
    ['extra member', { balance: '1.00' }],
  ])('rejects %s', (_, change) => expectInvalid(AccountSchema, { ...account, ...change }))
})
