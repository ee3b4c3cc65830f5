/**
 * A grant: what a customer consented to for one client, as FAPI Grant Management models it, and
 * the grant management query response.
 * @see https://openid.net/specs/fapi-grant-management.html
 */
import Type, { type Static } from 'typebox'
import { DateTime, embed, StringEnum } from './json-schema.js'
import { AuthorizationDetailsSchema } from './rar/authorization-details.js'

export const GRANT_STATUSES = ['active', 'revoked', 'expired'] as const
export type GrantStatus = (typeof GRANT_STATUSES)[number]

/**
 * The grant record the bank stores and the console shows. Members are camelCase (an internal
 * record) except `authorization_details`, which keeps its wire shape and spelling (RFC 9396).
 */
export const GrantSchema = Type.Object(
  {
    grantId: Type.String({ minLength: 1, maxLength: 255 }),
    bankId: Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' }),
    clientId: Type.String({ minLength: 1, maxLength: 255 }),
    /** The customer who consented; also the `sub` of tokens issued under the grant. */
    customerId: Type.String({ minLength: 1, maxLength: 64 }),
    status: StringEnum(GRANT_STATUSES),
    scope: Type.Optional(Type.String()),
    authorization_details: Type.Optional(embed(AuthorizationDetailsSchema)),
    createdAt: DateTime(),
    updatedAt: DateTime(),
    expiresAt: Type.Optional(DateTime()),
    revokedAt: Type.Optional(DateTime()),
  },
  { $id: 'Grant', additionalProperties: false },
)
export type Grant = Static<typeof GrantSchema>

/** FAPI Grant Management, query response: the grant's scopes, claims and authorization details. */
export const GrantQueryResponseSchema = Type.Object(
  {
    scopes: Type.Optional(
      Type.Array(
        Type.Object(
          {
            scope: Type.String({ minLength: 1 }),
            resources: Type.Optional(Type.Array(Type.String({ format: 'uri' }))),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    claims: Type.Optional(Type.Array(Type.String())),
    authorization_details: Type.Optional(embed(AuthorizationDetailsSchema)),
  },
  { $id: 'GrantQueryResponse', additionalProperties: false },
)
export type GrantQueryResponse = Static<typeof GrantQueryResponseSchema>
