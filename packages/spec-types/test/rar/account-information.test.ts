import { describe, test } from 'vitest'
import { AccountInformationSchema } from '../../src/rar/account-information.js'
import { expectInvalid, expectValid } from '../support/validate.js'
import { accountInformation } from './fixtures.js'

describe('account_information', () => {
  test('accepts the request form and the granted form with accounts and expiry', () => {
    expectValid(AccountInformationSchema, accountInformation)
    expectValid(AccountInformationSchema, { type: 'account_information', actions: ['read_payees'] })
    expectValid(AccountInformationSchema, {
      ...accountInformation,
      accounts: ['acc-1', 'acc-2'],
      expiresAt: '2025-04-30T00:00:00Z',
    })
  })
  test.each([
    ['unknown action', { actions: ['list_accounts', 'make_payments'] }],
    ['no actions', { actions: [] }],
    ['repeated action', { actions: ['read_balances', 'read_balances'] }],
    ['http location', { locations: ['http://api.northwind.sandbox.test/accounts'] }],
    ['empty accounts', { accounts: [] }],
    ['bad expiry', { expiresAt: 'tomorrow' }],
    ['other type', { type: 'payment_initiation' }],
    ['extra member', { datatypes: ['balances'] }],
  ])('rejects %s', (_, change) =>
    expectInvalid(AccountInformationSchema, { ...accountInformation, ...change }),
  )
})
