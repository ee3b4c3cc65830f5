/**
 * Account identification schemes (ISO 20022 AccountIdentification: IBAN, or a UK sort code and
 * account number as the UK Open Banking `UK.OBIE.SortCodeAccountNumber` scheme).
 */
import Type, { type Static } from 'typebox'
import { DiscriminatedUnion } from '../json-schema.js'

/** ISO 13616 IBAN: country, two check digits, up to 30 alphanumerics; upper case, no spaces. */
export const IBAN_PATTERN = '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'

/** ISO 9362 BIC: 8 or 11 characters. */
export const BIC_PATTERN = '^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$'

export const ACCOUNT_SCHEMES = ['IBAN', 'SortCodeAccountNumber'] as const
export type AccountScheme = (typeof ACCOUNT_SCHEMES)[number]

export const IbanIdentificationSchema = Type.Object(
  {
    scheme: Type.Literal('IBAN'),
    iban: Type.String({ pattern: IBAN_PATTERN, examples: ['DE02100100109307118603'] }),
    bic: Type.Optional(Type.String({ pattern: BIC_PATTERN })),
  },
  { $id: 'IbanIdentification', additionalProperties: false },
)
export type IbanIdentification = Static<typeof IbanIdentificationSchema>

export const SortCodeAccountNumberIdentificationSchema = Type.Object(
  {
    scheme: Type.Literal('SortCodeAccountNumber'),
    sortCode: Type.String({ pattern: '^[0-9]{6}$', description: 'Six digits, no dashes' }),
    accountNumber: Type.String({ pattern: '^[0-9]{8}$' }),
  },
  { $id: 'SortCodeAccountNumberIdentification', additionalProperties: false },
)
export type SortCodeAccountNumberIdentification = Static<
  typeof SortCodeAccountNumberIdentificationSchema
>

/** An account identified by one of {@link ACCOUNT_SCHEMES}, discriminated on `scheme`. */
export const AccountIdentificationSchema = DiscriminatedUnion(
  'scheme',
  [IbanIdentificationSchema, SortCodeAccountNumberIdentificationSchema],
  { $id: 'AccountIdentification' },
)
export type AccountIdentification = Static<typeof AccountIdentificationSchema>

/**
 * Does `iban` pass the ISO 13616 mod-97 check? The schema checks only the shape; seeded data and
 * the bank's payment checks use this to catch typos.
 */
export function isValidIbanChecksum(iban: string): boolean {
  if (!new RegExp(IBAN_PATTERN).test(iban)) return false
  const rearranged = iban.slice(4) + iban.slice(0, 4)
  let remainder = 0
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97
  }
  return remainder === 1
}
