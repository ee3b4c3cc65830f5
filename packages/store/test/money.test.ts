import { describe, expect, test } from 'vitest'
import { formatMinorUnits, parseDecimalAmount, sumMinorUnits } from '../src/money.js'

describe('formatMinorUnits', () => {
  test.each([
    [0, 'GBP', '0.00'],
    [5, 'EUR', '0.05'],
    [-5, 'EUR', '-0.05'],
    [123456, 'SEK', '1234.56'],
    [-100, 'GBP', '-1.00'],
    [500, 'JPY', '500'],
    [-7, 'JPY', '-7'],
    [Number.MAX_SAFE_INTEGER, 'GBP', '90071992547409.91'],
  ] as const)('%s %s → %s', (amount, currency, text) => {
    expect(formatMinorUnits(amount, currency)).toBe(text)
  })

  test('refuses fractions, unsafe integers and unknown currencies', () => {
    expect(() => formatMinorUnits(1.5, 'GBP')).toThrow(RangeError)
    expect(() => formatMinorUnits(2 ** 53, 'GBP')).toThrow(RangeError)
    expect(() => formatMinorUnits(1, 'XXX' as 'GBP')).toThrow(/unsupported currency/)
  })
})

describe('parseDecimalAmount', () => {
  test.each([
    ['12.34', 'GBP', 1234],
    ['12.3', 'GBP', 1230],
    ['12', 'GBP', 1200],
    ['0.01', 'EUR', 1],
    ['-0.05', 'EUR', -5],
    ['-0.00', 'EUR', 0],
    ['1.500', 'GBP', 150],
    ['500', 'JPY', 500],
    ['500.00', 'JPY', 500],
    ['0.29', 'CHF', 29],
    ['90071992547409.91', 'GBP', Number.MAX_SAFE_INTEGER],
  ] as const)('%s %s → %s', (text, currency, amount) => {
    expect(parseDecimalAmount(text, currency)).toBe(amount)
  })

  test.each([
    ['1.005', 'GBP', /more precision/],
    ['1.5', 'JPY', /more precision/],
    ['1e3', 'GBP', /not a decimal amount/],
    ['', 'GBP', /not a decimal amount/],
    [' 1.00', 'GBP', /not a decimal amount/],
    ['1,00', 'EUR', /not a decimal amount/],
    ['+1', 'EUR', /not a decimal amount/],
    ['.5', 'EUR', /not a decimal amount/],
    ['90071992547409.92', 'GBP', /too large/],
  ] as const)('refuses %j in %s', (text, currency, message) => {
    expect(() => parseDecimalAmount(text, currency)).toThrow(message)
  })

  test('round-trips exactly where 0.1 + 0.2 would not', () => {
    const total = sumMinorUnits([
      parseDecimalAmount('0.10', 'GBP'),
      parseDecimalAmount('0.20', 'GBP'),
    ])
    expect(formatMinorUnits(total, 'GBP')).toBe('0.30')
    expect(() => sumMinorUnits([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError)
  })
})
