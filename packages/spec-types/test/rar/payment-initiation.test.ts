import { describe, test } from 'vitest'
import { PaymentInitiationSchema } from '../../src/rar/payment-initiation.js'
import { expectInvalid, expectValid } from '../support/validate.js'
import { paymentInitiation } from './fixtures.js'

describe('payment_initiation', () => {
  test('accepts the RFC 9396 example (with a scheme) and a UK variant', () => {
    expectValid(PaymentInitiationSchema, paymentInitiation)
    expectValid(PaymentInitiationSchema, {
      type: 'payment_initiation',
      instructedAmount: { currency: 'GBP', amount: '25' },
      creditorName: 'Landlord Ltd',
      creditorAccount: {
        scheme: 'SortCodeAccountNumber',
        sortCode: '401276',
        accountNumber: '41234567',
      },
      debtorAccount: {
        scheme: 'SortCodeAccountNumber',
        sortCode: '601613',
        accountNumber: '31926819',
      },
      requestedExecutionDate: '2025-02-03',
    })
  })
  test.each([
    ['negative amount', { instructedAmount: { currency: 'EUR', amount: '-1.00' } }],
    ['exponent', { instructedAmount: { currency: 'EUR', amount: '1e3' } }],
    ['leading zero', { instructedAmount: { currency: 'EUR', amount: '01.00' } }],
    ['three decimals', { instructedAmount: { currency: 'EUR', amount: '1.234' } }],
    ['empty amount', { instructedAmount: { currency: 'EUR', amount: '' } }],
    ['zero', { instructedAmount: { currency: 'EUR', amount: '0' } }],
    ['zero with decimals', { instructedAmount: { currency: 'EUR', amount: '0.00' } }],
    ['wrong currency code', { instructedAmount: { currency: 'EURO', amount: '1.00' } }],
    ['JPY with decimals', { instructedAmount: { currency: 'JPY', amount: '100.50' } }],
    ['creditor account without scheme', { creditorAccount: { iban: 'DE02100100109307118603' } }],
    ['bad execution date', { requestedExecutionDate: '03/02/2025' }],
    ['missing creditor name', { creditorName: undefined }],
    ['extra member', { chargeBearer: 'SHAR' }],
  ])('rejects %s', (_, change) =>
    expectInvalid(
      PaymentInitiationSchema,
      JSON.parse(JSON.stringify({ ...paymentInitiation, ...change })),
    ),
  )
})
