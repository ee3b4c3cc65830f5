/** IBAN check digits (ISO 13616, mod 97-10 of ISO 7064) for the seeded account identifiers. */

/** Builds a valid IBAN from a country code and a BBAN of digits and capital letters. */
export function iban(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`
  let remainder = 0
  for (const char of rearranged) {
    const code = char.charCodeAt(0)
    // Letters count as two digits (A = 10 … Z = 35); fold them in one digit at a time to stay exact.
    const value = code >= 65 ? String(code - 55) : char
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97
  }
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`
}

/** True when `value` passes the IBAN checksum. */
export function isValidIban(value: string): boolean {
  return /^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(value) && iban(value.slice(0, 2), value.slice(4)) === value
}
