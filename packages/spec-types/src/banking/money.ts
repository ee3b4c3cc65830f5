/**
 * Monetary amounts as decimal strings with an ISO 4217 currency (ISO 20022 ActiveCurrencyAndAmount).
 * @see https://www.rfc-editor.org/rfc/rfc9396.html#section-2 (the `instructedAmount` example)
 */
import Type, { type Static } from 'typebox'
import { embed, StringEnum } from '../json-schema.js'
import {
  CURRENCY_CODES,
  CURRENCY_MINOR_UNITS,
  type CurrencyCode,
  CurrencyCodeSchema,
} from './currency.js'

/**
 * The widest fraction any supported currency has. Amount patterns allow up to this many digits; the
 * currency-specific limit is applied by {@link AmountSchema}'s conditional and by
 * {@link isValidAmountFor}.
 */
const MAX_MINOR_UNITS = Math.max(...Object.values(CURRENCY_MINOR_UNITS))

/**
 * A non-negative decimal string: no sign, no exponent, no leading zeros, at most
 * {@link MAX_MINOR_UNITS} fraction digits, at most 15 integer digits. `0` and `0.00` are allowed
 * (a zero balance); use {@link PositiveDecimalAmountSchema} for what a payer instructs.
 */
export const DECIMAL_AMOUNT_PATTERN = `^(?:0|[1-9][0-9]{0,14})(?:\\.[0-9]{1,${MAX_MINOR_UNITS}})?$`

/**
 * A strictly positive decimal string: as {@link DECIMAL_AMOUNT_PATTERN} but never zero, so `0.01`
 * and `12.5` pass while `0`, `0.00`, `-1.00`, `1e3`, `01.00` and `1.234` fail.
 */
export const POSITIVE_DECIMAL_AMOUNT_PATTERN = `^(?:[1-9][0-9]{0,14}(?:\\.[0-9]{1,${MAX_MINOR_UNITS}})?|0\\.(?:[1-9][0-9]?|0[1-9]))$`

export const DecimalAmountSchema = Type.String({
  $id: 'DecimalAmount',
  pattern: DECIMAL_AMOUNT_PATTERN,
  description: 'Non-negative decimal string, e.g. "0.00" or "1250.75"',
  examples: ['1250.75'],
})
export type DecimalAmount = Static<typeof DecimalAmountSchema>

export const PositiveDecimalAmountSchema = Type.String({
  $id: 'PositiveDecimalAmount',
  pattern: POSITIVE_DECIMAL_AMOUNT_PATTERN,
  description: 'Positive decimal string, e.g. "123.50"',
  examples: ['123.50'],
})
export type PositiveDecimalAmount = Static<typeof PositiveDecimalAmountSchema>

/** Currencies grouped by minor units below the maximum (JPY: 0), for the per-currency conditional. */
function minorUnitConditionals() {
  const narrower = new Map<number, CurrencyCode[]>()
  for (const code of CURRENCY_CODES) {
    const units = CURRENCY_MINOR_UNITS[code]
    if (units < MAX_MINOR_UNITS) narrower.set(units, [...(narrower.get(units) ?? []), code])
  }
  return [...narrower].map(([units, codes]) => ({
    if: { type: 'object', required: ['currency'], properties: { currency: { enum: codes } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema if/then keyword, not a promise
    then: {
      type: 'object',
      properties: {
        amount: {
          type: 'string',
          pattern: units === 0 ? '^[0-9]+$' : `^[0-9]+(?:\\.[0-9]{1,${units}})?$`,
        },
      },
    },
  }))
}

/**
 * Builds `{ amount, currency }` with `amount` limited by the currency's ISO 4217 minor units
 * (a JSON Schema conditional, so Ajv enforces it in routes too).
 */
function moneyObject(amountPattern: string, id: string, description: string) {
  return Type.Object(
    {
      amount: Type.String({ pattern: amountPattern }),
      currency: embed(CurrencyCodeSchema),
    },
    { $id: id, additionalProperties: false, description, allOf: minorUnitConditionals() },
  )
}

/** An amount that may be zero (balances, running balances, transaction amounts). */
export const AmountSchema = moneyObject(
  DECIMAL_AMOUNT_PATTERN,
  'Amount',
  'Unsigned amount with currency; the sign lives in creditDebitIndicator where one applies',
)
export type Amount = Static<typeof AmountSchema>

/** An amount that must be positive (instructed payment amounts). */
export const PositiveAmountSchema = moneyObject(
  POSITIVE_DECIMAL_AMOUNT_PATTERN,
  'PositiveAmount',
  'Positive amount with currency, as instructed by a payer',
)
export type PositiveAmount = Static<typeof PositiveAmountSchema>

/**
 * Direction of money relative to the account holder: `credit` adds to the account, `debit` takes
 * from it (ISO 20022 CreditDebitCode CRDT/DBIT). Amounts stay unsigned.
 */
export const CREDIT_DEBIT_INDICATORS = ['credit', 'debit'] as const
export type CreditDebitIndicator = (typeof CREDIT_DEBIT_INDICATORS)[number]
export const CreditDebitIndicatorSchema = StringEnum(CREDIT_DEBIT_INDICATORS, {
  $id: 'CreditDebitIndicator',
})

const positive = new RegExp(POSITIVE_DECIMAL_AMOUNT_PATTERN)
const nonNegative = new RegExp(DECIMAL_AMOUNT_PATTERN)

function fractionDigits(amount: string): number {
  const dot = amount.indexOf('.')
  return dot === -1 ? 0 : amount.length - dot - 1
}

/**
 * Is `amount` a positive decimal string with no more fraction digits than `currency` has minor
 * units? `isValidAmountFor('1.50', 'GBP')` is true, `isValidAmountFor('1.5', 'JPY')` is false.
 */
export function isValidAmountFor(amount: string, currency: CurrencyCode): boolean {
  return positive.test(amount) && fractionDigits(amount) <= CURRENCY_MINOR_UNITS[currency]
}

/** As {@link isValidAmountFor}, but zero is allowed (balances). */
export function isValidBalanceAmountFor(amount: string, currency: CurrencyCode): boolean {
  return nonNegative.test(amount) && fractionDigits(amount) <= CURRENCY_MINOR_UNITS[currency]
}
