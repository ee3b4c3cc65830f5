/**
 * Token revocation (RFC 7009 section 2.1): the request body. A successful revocation answers
 * `200` with an empty body (section 2.2), also for unknown tokens.
 * @see https://www.rfc-editor.org/rfc/rfc7009.html#section-2.1
 */
import Type, { type Static } from 'typebox'
import { clientAuthenticationProperties } from './client-authentication.js'

/** RFC 7009 section 2.1 hint values; others are ignored by the AS, not rejected. */
export const TOKEN_TYPE_HINTS = ['access_token', 'refresh_token'] as const
export type TokenTypeHint = (typeof TOKEN_TYPE_HINTS)[number]

export const RevocationRequestSchema = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 8192 }),
    /** A plain string: an unknown hint is ignored (section 2.1), unsupported types get section 2.2.1's error. */
    token_type_hint: Type.Optional(Type.String({ minLength: 1 })),
    ...clientAuthenticationProperties,
  },
  { $id: 'RevocationRequest', additionalProperties: false },
)
export type RevocationRequest = Static<typeof RevocationRequestSchema>
