/**
 * Token introspection (RFC 7662): the request (section 2.1), the response (section 2.2) with the
 * confirmation claim of RFC 9449 section 6.2 (`jkt`) and RFC 8705 section 3.1 (`x5t#S256`), and the
 * JWT response payload of RFC 9701 section 5.
 * @see https://www.rfc-editor.org/rfc/rfc7662.html#section-2
 */
import Type, { type Static } from 'typebox'
import { embed } from '../json-schema.js'
import {
  AuthorizationDetailsOpenSchema,
  AuthorizationDetailsSchema,
} from '../rar/authorization-details.js'
import { clientAuthenticationProperties } from './client-authentication.js'

/** base64url of a SHA-256 hash (JWK thumbprint, certificate thumbprint). */
const SHA256_BASE64URL = '^[A-Za-z0-9_-]{43}$'

export const IntrospectionRequestSchema = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 8192 }),
    token_type_hint: Type.Optional(Type.String({ minLength: 1 })),
    ...clientAuthenticationProperties,
  },
  { $id: 'IntrospectionRequest', additionalProperties: false },
)
export type IntrospectionRequest = Static<typeof IntrospectionRequestSchema>

/** The `cnf` claim: exactly one binding, DPoP key thumbprint or certificate thumbprint. */
export const ConfirmationSchema = Type.Object(
  {
    jkt: Type.Optional(Type.String({ pattern: SHA256_BASE64URL })),
    'x5t#S256': Type.Optional(Type.String({ pattern: SHA256_BASE64URL })),
  },
  { $id: 'Confirmation', additionalProperties: false, minProperties: 1, maxProperties: 1 },
)
export type Confirmation = Static<typeof ConfirmationSchema>

const introspectionProperties = {
  active: Type.Boolean(),
  scope: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String({ minLength: 1 })),
  username: Type.Optional(Type.String()),
  token_type: Type.Optional(Type.String({ minLength: 1 })),
  exp: Type.Optional(Type.Integer({ minimum: 0 })),
  iat: Type.Optional(Type.Integer({ minimum: 0 })),
  nbf: Type.Optional(Type.Integer({ minimum: 0 })),
  sub: Type.Optional(Type.String({ minLength: 1 })),
  aud: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  iss: Type.Optional(Type.String({ format: 'uri' })),
  jti: Type.Optional(Type.String({ minLength: 1 })),
  grant_id: Type.Optional(Type.String({ minLength: 1 })),
}

/**
 * What the sandbox AS answers. For an inactive token it sends only `{ "active": false }`
 * (RFC 7662 section 2.2: no other members should be included).
 */
export const IntrospectionResponseSchema = Type.Object(
  {
    ...introspectionProperties,
    cnf: Type.Optional(embed(ConfirmationSchema)),
    authorization_details: Type.Optional(embed(AuthorizationDetailsSchema)),
  },
  { $id: 'IntrospectionResponse', additionalProperties: false },
)
export type IntrospectionResponse = Static<typeof IntrospectionResponseSchema>

/** What a resource server accepts: extension members and foreign detail types tolerated. */
export const IntrospectionResponseOpenSchema = Type.Object(
  {
    ...introspectionProperties,
    cnf: Type.Optional(
      Type.Object({
        jkt: Type.Optional(Type.String()),
        'x5t#S256': Type.Optional(Type.String()),
      }),
    ),
    authorization_details: Type.Optional(embed(AuthorizationDetailsOpenSchema)),
  },
  { $id: 'IntrospectionResponseOpen' },
)
export type IntrospectionResponseOpen = Static<typeof IntrospectionResponseOpenSchema>

/**
 * RFC 9701 section 5: claims of a `token-introspection+jwt` response; the introspection result
 * sits in `token_introspection`.
 */
export const TokenIntrospectionJwtClaimsSchema = Type.Object(
  {
    iss: Type.String({ format: 'uri' }),
    aud: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })]),
    iat: Type.Integer({ minimum: 0 }),
    jti: Type.Optional(Type.String({ minLength: 1 })),
    token_introspection: embed(IntrospectionResponseOpenSchema),
  },
  { $id: 'TokenIntrospectionJwtClaims' },
)
export type TokenIntrospectionJwtClaims = Static<typeof TokenIntrospectionJwtClaimsSchema>
