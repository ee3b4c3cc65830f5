/** Money amounts as integer minor units, converted exactly to and from ISO 4217 decimal strings. */
import {
  type CurrencyCode,
  isCurrencyCode,
  minorUnitsOf,
} from '@sandbox/spec-types/banking/currency'

/** An amount in the currency's minor unit (pence, cents, öre; whole yen): always a safe integer. */
export type MinorUnits = number

function checkMinorUnits(amount: number): void {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`an amount in minor units must be a safe integer, got ${amount}`)
  }
}

function checkCurrency(currency: string): asserts currency is CurrencyCode {
  if (!isCurrencyCode(currency)) throw new RangeError(`unsupported currency '${currency}'`)
}

/**
 * Renders minor units as a decimal string with exactly the currency's minor digits:
 * `(-1234, 'GBP') → '-12.34'`, `(5, 'EUR') → '0.05'`, `(500, 'JPY') → '500'`. Pure string work, so no
 * binary floating point ever touches the value.
 */
export function formatMinorUnits(amount: MinorUnits, currency: CurrencyCode): string {
  checkMinorUnits(amount)
  checkCurrency(currency)
  const digits = minorUnitsOf(currency)
  const sign = amount < 0 ? '-' : ''
  const magnitude = String(Math.abs(amount))
  if (digits === 0) return sign + magnitude
  const padded = magnitude.padStart(digits + 1, '0')
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/

/**
 * Parses a decimal amount into minor units, exactly: `('12.3', 'GBP') → 1230`, `('-0.05', 'EUR') → -5`,
 * `('500', 'JPY') → 500`. Extra fraction digits are accepted only when they are zeros (`'1.500'` is
 * exactly 150 pence); anything finer than the minor unit (`'1.005'` GBP, `'1.5'` JPY) is refused
 * rather than rounded, because silently rounding money hides bugs.
 * @throws RangeError for malformed text, sub-minor-unit precision or a value beyond 2^53 − 1 minor units.
 */
export function parseDecimalAmount(text: string, currency: CurrencyCode): MinorUnits {
  checkCurrency(currency)
  const match = DECIMAL.exec(text)
  if (match === null) throw new RangeError(`'${text}' is not a decimal amount like 12.34`)
  const [, sign = '', whole = '', fraction = ''] = match
  const digits = minorUnitsOf(currency)
  if (/[^0]/.test(fraction.slice(digits))) {
    throw new RangeError(`'${text}' has more precision than ${currency}'s ${digits} minor digits`)
  }
  const minor = BigInt(whole + fraction.slice(0, digits).padEnd(digits, '0'))
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`'${text}' is too large`)
  const amount = Number(minor)
  return sign === '-' && amount !== 0 ? -amount : amount
}

/** Adds minor-unit amounts, refusing to leave the range where integers are exact. */
export function sumMinorUnits(amounts: Iterable<MinorUnits>): MinorUnits {
  let total = 0
  for (const amount of amounts) {
    checkMinorUnits(amount)
    total += amount
    checkMinorUnits(total)
  }
  return total
}
