import { describe, test } from 'vitest'
import { CustomerSchema } from '../../src/banking/customer.js'
import { expectInvalid, expectValid } from '../support/validate.js'

const customer = {
  customerId: 'cust-1',
  bankId: 'northwind',
  username: 'alice',
  displayName: 'Alice Example',
  givenName: 'Alice',
  familyName: 'Example',
  email: 'alice@example.test',
  createdAt: '2020-01-01T00:00:00Z',
}

describe('Customer', () => {
  test('accepts a customer with and without email', () => {
    expectValid(CustomerSchema, customer)
    const { email: _email, ...withoutEmail } = customer
    expectValid(CustomerSchema, withoutEmail)
  })
  test.each([
    ['bad email', { email: 'alice' }],
    ['upper-case username', { username: 'Alice' }],
    ['extra member', { password: 'secret' }],
  ])('rejects %s', (_, change) => expectInvalid(CustomerSchema, { ...customer, ...change }))
})
