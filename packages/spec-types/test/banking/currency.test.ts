import { describe, expect, test } from 'vitest'
import {
  CURRENCY_CODES,
  CurrencyCodeSchema,
  isCurrencyCode,
  minorUnitsOf,
} from '../../src/banking/currency.js'
import { expectInvalid, expectValid } from '../support/validate.js'

describe('CurrencyCode', () => {
  test('is a plain string enum', () => {
    expect(CurrencyCodeSchema).toMatchObject({ $id: 'CurrencyCode', type: 'string' })
    expect((CurrencyCodeSchema as { enum?: unknown }).enum).toEqual(CURRENCY_CODES)
  })
  test.each(CURRENCY_CODES)('accepts %s', (code) => expectValid(CurrencyCodeSchema, code))
  test.each(['XXX', 'gbp', 'GB', '', 'EURO'])('rejects %j', (code) =>
    expectInvalid(CurrencyCodeSchema, code),
  )
  test('minor units follow ISO 4217', () => {
    expect(minorUnitsOf('GBP')).toBe(2)
    expect(minorUnitsOf('JPY')).toBe(0)
    expect(isCurrencyCode('EUR')).toBe(true)
    expect(isCurrencyCode('toString')).toBe(false)
  })
})
