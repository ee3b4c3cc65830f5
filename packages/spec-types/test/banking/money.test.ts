import { describe, expect, test } from 'vitest'
import {
  AmountSchema,
  DecimalAmountSchema,
  isValidAmountFor,
  isValidBalanceAmountFor,
  PositiveAmountSchema,
  PositiveDecimalAmountSchema,
} from '../../src/banking/money.js'
import { expectInvalid, expectValid } from '../support/validate.js'

const malformed = [
  '-1.00',
  '+1.00',
  '1e3',
  '01.00',
  '00.10',
  '1.234',
  '',
  ' 1.00',
  '1,00',
  '1.',
  '.5',
]

describe('PositiveDecimalAmount', () => {
  test.each(['0.01', '0.5', '0.10', '1', '12.5', '123.50', '999999999999999.99'])(
    'accepts %s',
    (amount) => expectValid(PositiveDecimalAmountSchema, amount),
  )
  test.each([...malformed, '0', '0.00', '0.0', '1000000000000000'])('rejects %j', (amount) =>
    expectInvalid(PositiveDecimalAmountSchema, amount),
  )
})

describe('DecimalAmount', () => {
  test.each(['0', '0.00', '0.01', '1250.75'])('accepts %s', (amount) =>
    expectValid(DecimalAmountSchema, amount),
  )
  test.each(malformed)('rejects %j', (amount) => expectInvalid(DecimalAmountSchema, amount))
})

describe('Amount and PositiveAmount', () => {
  test('accept an amount within the currency minor units', () => {
    expectValid(PositiveAmountSchema, { amount: '123.50', currency: 'EUR' })
    expectValid(PositiveAmountSchema, { amount: '1500', currency: 'JPY' })
    expectValid(AmountSchema, { amount: '0.00', currency: 'GBP' })
  })
  test('reject fraction digits a zero-decimal currency does not have (ISO 4217 JPY: 0)', () => {
    expectInvalid(PositiveAmountSchema, { amount: '1500.5', currency: 'JPY' })
    expectInvalid(AmountSchema, { amount: '0.00', currency: 'JPY' })
  })
  test('reject an unknown currency code, a lower-case one and a number amount', () => {
    expectInvalid(PositiveAmountSchema, { amount: '1.00', currency: 'XXX' })
    expectInvalid(PositiveAmountSchema, { amount: '1.00', currency: 'gbp' })
    expectInvalid(PositiveAmountSchema, { amount: 1, currency: 'GBP' })
  })
  test('reject negative amounts and extra members', () => {
    expectInvalid(PositiveAmountSchema, { amount: '-1.00', currency: 'GBP' })
    expectInvalid(AmountSchema, { amount: '-1.00', currency: 'GBP' })
    expectInvalid(AmountSchema, { amount: '1.00', currency: 'GBP', sign: '-' })
  })
})

describe('isValidAmountFor', () => {
  test('applies the currency minor units', () => {
    expect(isValidAmountFor('1.50', 'GBP')).toBe(true)
    expect(isValidAmountFor('1.5', 'GBP')).toBe(true)
    expect(isValidAmountFor('1500', 'JPY')).toBe(true)
    expect(isValidAmountFor('1.5', 'JPY')).toBe(false)
  })
  test.each([...malformed, '0', '0.00'])('rejects %j', (amount) =>
    expect(isValidAmountFor(amount, 'EUR')).toBe(false),
  )
  test('isValidBalanceAmountFor allows zero', () => {
    expect(isValidBalanceAmountFor('0.00', 'GBP')).toBe(true)
    expect(isValidBalanceAmountFor('0', 'JPY')).toBe(true)
    expect(isValidBalanceAmountFor('-0.01', 'GBP')).toBe(false)
  })
})
