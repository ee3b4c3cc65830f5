/**
 * ISO 4217 currency codes the sandbox banks hold accounts in, with their minor units.
 * @see https://www.iso.org/iso-4217-currency-codes.html
 */
import type { Static } from 'typebox'
import { StringEnum } from '../json-schema.js'

/**
 * Minor units (digits after the decimal point) per ISO 4217 code. Only currencies a seeded bank can
 * hold are listed; an amount in any other code is rejected rather than guessed at.
 */
export const CURRENCY_MINOR_UNITS = {
  GBP: 2,
  EUR: 2,
  USD: 2,
  CHF: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  CZK: 2,
  JPY: 0,
} as const

export type CurrencyCode = keyof typeof CURRENCY_MINOR_UNITS

export const CURRENCY_CODES = Object.keys(CURRENCY_MINOR_UNITS) as CurrencyCode[]

/** An ISO 4217 alphabetic code that the sandbox supports: `{ type: 'string', enum: [...] }`. */
export const CurrencyCodeSchema = StringEnum(CURRENCY_CODES as readonly CurrencyCode[], {
  $id: 'CurrencyCode',
  description: 'ISO 4217 alphabetic currency code',
})

export type CurrencyCodeValue = Static<typeof CurrencyCodeSchema>

/** Digits after the decimal point for `code` (ISO 4217 minor unit). */
export function minorUnitsOf(code: CurrencyCode): number {
  return CURRENCY_MINOR_UNITS[code]
}

/** Is `value` a currency code the sandbox supports? */
export function isCurrencyCode(value: string): value is CurrencyCode {
  return Object.hasOwn(CURRENCY_MINOR_UNITS, value)
}
