import { describe, test } from 'vitest'
import { ProblemDetailsSchema } from '../src/problem.js'
import { expectInvalid, expectValid } from './support/validate.js'

describe('problem details (RFC 9457)', () => {
  test('accepts the RFC shape with extension members', () => {
    expectValid(ProblemDetailsSchema, {
      type: 'https://sandbox.test/problems/insufficient-funds',
      title: 'Insufficient funds',
      status: 422,
      detail: 'Balance 10.00 GBP is below 123.50 GBP',
      instance: '/payments/pay-1',
      balance: '10.00',
    })
    expectValid(ProblemDetailsSchema, {})
  })
  test.each([{ status: 99 }, { status: '404' }, { type: 'not a uri reference' }])(
    'rejects %j',
    (value) => expectInvalid(ProblemDetailsSchema, value),
  )
})
