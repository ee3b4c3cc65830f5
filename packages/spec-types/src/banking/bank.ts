/**
 * A sandbox bank (tenant) and its FAPI 2.0 profile: which sender constraint (RFC 9449 DPoP or
 * RFC 8705 mTLS) and client authentication it enforces.
 */
import Type, { type Static } from 'typebox'
import { embed, StringEnum } from '../json-schema.js'
import { BIC_PATTERN } from './account-identification.js'
import { CurrencyCodeSchema } from './currency.js'

/** `#rrggbb` (hex digits in either case). */
export const HEX_COLOUR_PATTERN = '^#[0-9A-Fa-f]{6}$'

/** Lower-case slug used in URLs and file names: `northwind`, `harbour-bank`. */
export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$'

/** FAPI 2.0 SP 5.3.2.1-5: tokens are sender-constrained by DPoP or by mTLS. */
export const SENDER_CONSTRAINTS = ['dpop', 'mtls'] as const
export type SenderConstraint = (typeof SENDER_CONSTRAINTS)[number]

/** FAPI 2.0 SP 5.3.2.1-6: the two client authentication methods a bank can require. */
export const BANK_CLIENT_AUTH_METHODS = ['private_key_jwt', 'tls_client_auth'] as const
export type BankClientAuthMethod = (typeof BANK_CLIENT_AUTH_METHODS)[number]

/** `query` (RFC 9207 `iss` in the query) or `jwt` (JARM, required for FAPI 2.0 MS clients). */
export const AUTHORIZATION_RESPONSE_MODES = ['query', 'jwt'] as const
export type AuthorizationResponseMode = (typeof AUTHORIZATION_RESPONSE_MODES)[number]

export const BankProfileSchema = Type.Object(
  {
    senderConstraint: StringEnum(SENDER_CONSTRAINTS),
    clientAuth: StringEnum(BANK_CLIENT_AUTH_METHODS),
    /** RFC 9449 section 8: the AS (and RS) demand a server-provided nonce in proofs. */
    dpopNonceRequired: Type.Boolean(),
    accessTokenLifetimeSeconds: Type.Integer({ minimum: 1 }),
    refreshTokenLifetimeSeconds: Type.Integer({ minimum: 1 }),
    /** FAPI 2.0 MS 5.3.1-1: signed request objects (JAR) at PAR. */
    requireSignedRequestObject: Type.Boolean(),
    authorizationResponseMode: StringEnum(AUTHORIZATION_RESPONSE_MODES),
  },
  { $id: 'BankProfile', additionalProperties: false },
)
export type BankProfile = Static<typeof BankProfileSchema>

export const BankBrandSchema = Type.Object(
  {
    primaryColour: Type.String({ pattern: HEX_COLOUR_PATTERN }),
    accentColour: Type.String({ pattern: HEX_COLOUR_PATTERN }),
  },
  { $id: 'BankBrand', additionalProperties: false },
)
export type BankBrand = Static<typeof BankBrandSchema>

export const BankSchema = Type.Object(
  {
    id: Type.String({ pattern: SLUG_PATTERN, maxLength: 40 }),
    name: Type.String({ minLength: 1, maxLength: 70 }),
    legalName: Type.String({ minLength: 1, maxLength: 140 }),
    /** ISO 3166-1 alpha-2. */
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    currency: embed(CurrencyCodeSchema),
    bic: Type.String({ pattern: BIC_PATTERN }),
    brand: embed(BankBrandSchema),
    profile: embed(BankProfileSchema),
  },
  { $id: 'Bank', additionalProperties: false },
)
export type Bank = Static<typeof BankSchema>
