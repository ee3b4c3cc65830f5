/**
 * Public JSON Web Keys and key sets (RFC 7517 sections 4 and 5) as clients register them and the
 * AS publishes them. Private members are refused (FAPI 2.0 SP 5.4.2; RFC 7517 section 9.1).
 * @see https://www.rfc-editor.org/rfc/rfc7517.html#section-4
 */
import Type, { type Static } from 'typebox'
import { embed, StringEnum } from '../json-schema.js'

/** Members that only a private or symmetric key has (RFC 7518 sections 6.2.2, 6.3.2, 6.4). */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const

/** Key types FAPI 2.0 keys can have: RSA (PS256), EC P-256 (ES256), OKP Ed25519 (EdDSA). */
export const PUBLIC_KEY_TYPES = ['RSA', 'EC', 'OKP'] as const

/**
 * A public JWK. Open for the members each key type adds (`n`, `e`, `crv`, `x`, `y`, `x5c`), closed
 * against private ones. Key sizes and curves are checked by the key import, not here.
 */
export const PublicJwkSchema = Type.Object(
  {
    kty: StringEnum(PUBLIC_KEY_TYPES),
    kid: Type.Optional(Type.String({ minLength: 1 })),
    use: Type.Optional(StringEnum(['sig', 'enc'] as const)),
    alg: Type.Optional(Type.String({ minLength: 1 })),
    key_ops: Type.Optional(Type.Array(Type.String())),
    x5c: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
    'x5t#S256': Type.Optional(Type.String()),
  },
  {
    $id: 'PublicJwk',
    not: {
      anyOf: PRIVATE_JWK_MEMBERS.map((member) => ({
        type: 'object',
        required: [member],
        properties: { [member]: {} },
      })),
    },
  },
)
export type PublicJwk = Static<typeof PublicJwkSchema>

export const PublicJwksSchema = Type.Object(
  { keys: Type.Array(embed(PublicJwkSchema), { minItems: 1, maxItems: 20 }) },
  { $id: 'PublicJwks' },
)
export type PublicJwks = Static<typeof PublicJwksSchema>
