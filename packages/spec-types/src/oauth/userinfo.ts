/**
 * The UserInfo response (OIDC Core section 5.3.2): the standard claims (section 5.1) a sandbox bank
 * releases about the customer behind an access token granted `openid`.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse
 */
import Type, { type Static } from 'typebox'

export const UserinfoResponseSchema = Type.Object(
  {
    /** Section 5.3.2: always present, the `sub` of the ID token. */
    sub: Type.String({ minLength: 1, maxLength: 255 }),
    name: Type.Optional(Type.String({ minLength: 1 })),
    given_name: Type.Optional(Type.String({ minLength: 1 })),
    family_name: Type.Optional(Type.String({ minLength: 1 })),
    email: Type.Optional(Type.String({ format: 'email' })),
  },
  { $id: 'UserinfoResponse', additionalProperties: false },
)
export type UserinfoResponse = Static<typeof UserinfoResponseSchema>
