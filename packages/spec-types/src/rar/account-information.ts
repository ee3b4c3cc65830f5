/**
 * The `account_information` authorization details type (RFC 9396 section 2, whose own example uses
 * this type name and the `list_accounts` / `read_balances` / `read_transactions` actions).
 * @see https://www.rfc-editor.org/rfc/rfc9396.html#section-2
 */
import Type, { type Static } from 'typebox'
import { AccountIdSchema } from '../banking/account.js'
import { DateTime, embed, HttpsUrl, StringEnum } from '../json-schema.js'

/**
 * What the client may do with the accounts (RFC 9396 section 2.2 common field `actions`):
 * - `list_accounts`: list the consented accounts and their details;
 * - `read_balances`: read their balances;
 * - `read_transactions`: read their transactions;
 * - `read_payees`: read the payees saved on them.
 */
export const ACCOUNT_INFORMATION_ACTIONS = [
  'list_accounts',
  'read_balances',
  'read_transactions',
  'read_payees',
] as const
export type AccountInformationAction = (typeof ACCOUNT_INFORMATION_ACTIONS)[number]

export const AccountInformationSchema = Type.Object(
  {
    type: Type.Literal('account_information'),
    /** RFC 9396 section 2.2: resource server URLs the token may be used at. */
    locations: Type.Optional(Type.Array(HttpsUrl(), { minItems: 1, uniqueItems: true })),
    actions: Type.Array(StringEnum(ACCOUNT_INFORMATION_ACTIONS), {
      minItems: 1,
      uniqueItems: true,
    }),
    /**
     * The account ids the user chose on the consent page. Optional in the request (the user picks
     * them); the AS fills it in the token response and grant (RFC 9396 section 7: the AS may
     * enrich the details it grants).
     */
    accounts: Type.Optional(
      Type.Array(embed(AccountIdSchema), { minItems: 1, uniqueItems: true, maxItems: 100 }),
    ),
    /** Access ends at this instant even if refresh tokens live longer. */
    expiresAt: Type.Optional(DateTime()),
  },
  { $id: 'AccountInformation', additionalProperties: false },
)
export type AccountInformation = Static<typeof AccountInformationSchema>
