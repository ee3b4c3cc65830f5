/** A bank customer (payment service user, PSD2 Art. 4(10)) as the console and the bank pages show it. */
import Type, { type Static } from 'typebox'
import { DateTime } from '../json-schema.js'
import { SLUG_PATTERN } from './bank.js'

/** Identifier of a customer within one bank; also the `sub` the bank issues for them. */
export const CUSTOMER_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$'

export const CustomerSchema = Type.Object(
  {
    customerId: Type.String({ pattern: CUSTOMER_ID_PATTERN }),
    bankId: Type.String({ pattern: SLUG_PATTERN }),
    /** The login name on the bank's sign-in page (test users are seeded and documented). */
    username: Type.String({ pattern: '^[a-z0-9._-]{1,64}$' }),
    displayName: Type.String({ minLength: 1, maxLength: 140 }),
    givenName: Type.String({ minLength: 1, maxLength: 70 }),
    familyName: Type.String({ minLength: 1, maxLength: 70 }),
    email: Type.Optional(Type.String({ format: 'email' })),
    createdAt: DateTime(),
  },
  { $id: 'Customer', additionalProperties: false },
)
export type Customer = Static<typeof CustomerSchema>
