import { describe, test } from 'vitest'
import { GrantQueryResponseSchema, GrantSchema } from '../src/grant.js'
import { accountInformation } from './rar/fixtures.js'
import { expectInvalid, expectValid } from './support/validate.js'

const grant = {
  grantId: 'TSdqirmAxDa0_-DB_1bASQ',
  bankId: 'northwind',
  clientId: 'c1',
  customerId: 'cust-1',
  status: 'active',
  scope: 'openid accounts',
  authorization_details: [{ ...accountInformation, accounts: ['acc-1'] }],
  createdAt: '2025-01-31T10:00:00Z',
  updatedAt: '2025-01-31T10:00:00Z',
  expiresAt: '2025-04-30T10:00:00Z',
}

describe('grant', () => {
  test('accepts an active and a revoked grant and a query response', () => {
    expectValid(GrantSchema, grant)
    expectValid(GrantSchema, { ...grant, status: 'revoked', revokedAt: '2025-02-01T00:00:00Z' })
    expectValid(GrantQueryResponseSchema, {
      scopes: [{ scope: 'openid accounts' }],
      authorization_details: grant.authorization_details,
    })
  })
  test.each([
    ['unknown status', { status: 'suspended' }],
    ['bad date', { createdAt: '2025-01-31 10:00' }],
    ['unknown details', { authorization_details: [{ type: 'tax_filing' }] }],
    ['wire spelling of the id', { grant_id: 'x' }],
  ])('rejects %s', (_, change) => expectInvalid(GrantSchema, { ...grant, ...change }))
})
