import { describe, expect, test } from 'vitest'
import {
  PAYMENT_STATUS_ISO20022,
  PAYMENT_STATUSES,
  PaymentRequestSchema,
  PaymentSchema,
} from '../../src/banking/payment.js'
import { expectInvalid, expectValid } from '../support/validate.js'

const request = {
  instructedAmount: { amount: '123.50', currency: 'GBP' },
  creditorName: 'Merchant A',
  creditorAccount: {
    scheme: 'SortCodeAccountNumber',
    sortCode: '401276',
    accountNumber: '41234567',
  },
  remittanceInformationUnstructured: 'Invoice 42',
}

const payment = {
  paymentId: 'pay-1',
  status: 'accepted_settlement_completed',
  ...request,
  debtorAccount: { scheme: 'SortCodeAccountNumber', sortCode: '601613', accountNumber: '31926819' },
  createdAt: '2025-01-31T10:00:00Z',
  statusUpdatedAt: '2025-01-31T10:00:02Z',
}

describe('Payment', () => {
  test('accepts a request and a settled and a rejected payment', () => {
    expectValid(PaymentRequestSchema, request)
    expectValid(PaymentRequestSchema, { ...request, requestedExecutionDate: '2025-02-03' })
    expectValid(PaymentSchema, payment)
    expectValid(PaymentSchema, {
      ...payment,
      status: 'rejected',
      statusReason: 'Insufficient funds',
    })
  })
  test('every status has an ISO 20022 code', () => {
    expect(PAYMENT_STATUSES.map((status) => PAYMENT_STATUS_ISO20022[status])).toEqual([
      'PDNG',
      'ACSP',
      'ACSC',
      'RJCT',
    ])
  })
  test.each([
    ['ISO code instead of wire value', { status: 'ACSC' }],
    ['zero amount', { instructedAmount: { amount: '0.00', currency: 'GBP' } }],
    ['bad execution date', { requestedExecutionDate: '2025-02-30T00:00:00Z' }],
    ['remittance too long', { remittanceInformationUnstructured: 'x'.repeat(141) }],
    ['extra member', { chargeBearer: 'SHAR' }],
  ])('rejects %s', (_, change) => expectInvalid(PaymentSchema, { ...payment, ...change }))
})
