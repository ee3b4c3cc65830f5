import { OAuthError, type Rule } from '@sandbox/fapi/errors/oauth-error'
import type { AuthorizationDetails } from '@sandbox/spec-types/rar/authorization-details'
import { describe, expect, test } from 'vitest'
import { narrowAuthorizationDetails, narrowScope } from '../../src/grants/narrow-authorization.js'
import { tokenRules } from '../../src/rules/token.js'
import { PAYMENT_DETAILS } from '../token-fixtures.js'

const granted: AuthorizationDetails = [
  {
    type: 'account_information',
    actions: ['list_accounts', 'read_balances', 'read_transactions'],
    accounts: ['acc-1', 'acc-2'],
    expiresAt: '2026-06-01T00:00:00Z',
  },
  ...PAYMENT_DETAILS,
]

function refused(run: () => unknown, rule: Rule = tokenRules.authorizationDetailsWidened) {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError)
    expect((error as OAuthError).rule).toBe(rule)
    return
  }
  throw new Error('expected a refusal')
}

describe('authorization_details narrow but never widen (RAR-07, RAR-10)', () => {
  test('fewer actions and accounts keep the rest of the granted detail', () => {
    const narrowed = narrowAuthorizationDetails(
      [{ type: 'account_information', actions: ['read_balances'], accounts: ['acc-2'] }],
      granted,
    )
    expect(narrowed).toEqual([
      {
        type: 'account_information',
        actions: ['read_balances'],
        accounts: ['acc-2'],
        expiresAt: '2026-06-01T00:00:00Z',
      },
    ])
  })

  test('omitted accounts mean the granted accounts', () => {
    const [detail] = narrowAuthorizationDetails(
      [{ type: 'account_information', actions: ['list_accounts'] }],
      granted,
    )
    expect(detail).toMatchObject({ accounts: ['acc-1', 'acc-2'] })
  })

  test('the granted payment, named member for member', () => {
    expect(narrowAuthorizationDetails(PAYMENT_DETAILS, granted)).toEqual(PAYMENT_DETAILS)
  })

  test.each([
    ['an action not granted', [{ type: 'account_information', actions: ['read_payees'] }]],
    [
      'an account not chosen',
      [{ type: 'account_information', actions: ['list_accounts'], accounts: ['acc-9'] }],
    ],
    [
      'a later end',
      [
        {
          type: 'account_information',
          actions: ['list_accounts'],
          expiresAt: '2027-01-01T00:00:00Z',
        },
      ],
    ],
    [
      'a larger payment',
      [{ ...PAYMENT_DETAILS[0], instructedAmount: { currency: 'EUR', amount: '100.00' } }],
    ],
  ])('%s is refused (RAR-07)', (_name, requested) => {
    refused(() => narrowAuthorizationDetails(requested as AuthorizationDetails, granted))
  })

  test('details when none were granted are refused (RAR-07)', () => {
    refused(() => narrowAuthorizationDetails(PAYMENT_DETAILS, undefined))
  })
})

describe('a refresh scope only shrinks (AS-RT-05)', () => {
  test('a subset, deduplicated', () => {
    expect(narrowScope('accounts accounts', 'openid accounts')).toBe('accounts')
  })

  test.each(['payments', 'openid payments', ' '])('%j is refused', (scope) => {
    refused(() => narrowScope(scope, 'openid accounts'), tokenRules.scopeWidened)
  })
})
