/**
 * A payment or savings account as the account information API returns it (PSD2 payment account;
 * field names follow ISO 20022 / Berlin Group usage in camelCase).
 */
import Type, { type Static } from 'typebox'
import { DateTime, embed, StringEnum } from '../json-schema.js'
import { AccountIdentificationSchema } from './account-identification.js'
import { CurrencyCodeSchema } from './currency.js'

/** Opaque account id, stable per seed; appears in RAR `accounts` and in resource URLs. */
export const ACCOUNT_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$'

export const ACCOUNT_TYPES = ['current', 'savings', 'credit_card'] as const
export type AccountType = (typeof ACCOUNT_TYPES)[number]

export const ACCOUNT_STATUSES = ['enabled', 'closed'] as const
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number]

export const AccountIdSchema = Type.String({ $id: 'AccountId', pattern: ACCOUNT_ID_PATTERN })
export type AccountId = Static<typeof AccountIdSchema>

export const AccountSchema = Type.Object(
  {
    accountId: embed(AccountIdSchema),
    type: StringEnum(ACCOUNT_TYPES),
    currency: embed(CurrencyCodeSchema),
    /** The product name the bank gives the account ("Everyday Current Account"). */
    name: Type.String({ minLength: 1, maxLength: 70 }),
    /** The customer's own label, if they set one. */
    nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 70 })),
    /** How others pay into it; absent for a card, which has no account number to pay to. */
    identification: Type.Optional(embed(AccountIdentificationSchema)),
    /** A card's number with all but the last four digits hidden (PCI DSS 3.4). */
    maskedPan: Type.Optional(
      Type.String({ pattern: '^[0-9X* ]{12,23}$', examples: ['XXXX XXXX XXXX 4242'] }),
    ),
    status: StringEnum(ACCOUNT_STATUSES),
    openedAt: DateTime(),
  },
  { $id: 'Account', additionalProperties: false },
)
export type Account = Static<typeof AccountSchema>

/** `GET /accounts` response body. */
export const AccountListSchema = Type.Object(
  { accounts: Type.Array(embed(AccountSchema)) },
  { $id: 'AccountList', additionalProperties: false },
)
export type AccountList = Static<typeof AccountListSchema>
