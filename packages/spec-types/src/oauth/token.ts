/**
 * Token endpoint requests per grant type (RFC 6749 sections 4.1.3, 4.4.2, 6; RFC 7636 section 4.5;
 * RFC 9396 section 6) and the access token response (RFC 6749 section 5.1, RFC 9449 section 5,
 * RFC 9396 section 7, FAPI Grant Management).
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.1
 */
import Type, { type Static } from 'typebox'
import { DiscriminatedUnion, embed, StringEnum } from '../json-schema.js'
import {
  AuthorizationDetailsOpenSchema,
  AuthorizationDetailsSchema,
} from '../rar/authorization-details.js'
import { COMPACT_JWS_PATTERN, clientAuthenticationProperties } from './client-authentication.js'

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const
export type GrantType = (typeof GRANT_TYPES)[number]

const scope = Type.String({ minLength: 1, maxLength: 1024 })
/** RFC 9396 sections 6.1 and 6.2: JSON-encoded in the form body, narrowing what was granted. */
const authorizationDetails = Type.String({ minLength: 2, maxLength: 16384 })

export const AuthorizationCodeTokenRequestSchema = Type.Object(
  {
    grant_type: Type.Literal('authorization_code'),
    code: Type.String({ minLength: 1, maxLength: 512 }),
    redirect_uri: Type.String({ format: 'uri' }),
    /** RFC 7636 section 4.5; its format is checked by the PKCE rule, not here. */
    code_verifier: Type.String({ minLength: 1, maxLength: 256 }),
    authorization_details: Type.Optional(authorizationDetails),
    ...clientAuthenticationProperties,
  },
  { $id: 'AuthorizationCodeTokenRequest', additionalProperties: false },
)
export type AuthorizationCodeTokenRequest = Static<typeof AuthorizationCodeTokenRequestSchema>

export const RefreshTokenRequestSchema = Type.Object(
  {
    grant_type: Type.Literal('refresh_token'),
    refresh_token: Type.String({ minLength: 1, maxLength: 1024 }),
    scope: Type.Optional(scope),
    authorization_details: Type.Optional(authorizationDetails),
    ...clientAuthenticationProperties,
  },
  { $id: 'RefreshTokenRequest', additionalProperties: false },
)
export type RefreshTokenRequest = Static<typeof RefreshTokenRequestSchema>

export const ClientCredentialsTokenRequestSchema = Type.Object(
  {
    grant_type: Type.Literal('client_credentials'),
    scope: Type.Optional(scope),
    authorization_details: Type.Optional(authorizationDetails),
    ...clientAuthenticationProperties,
  },
  { $id: 'ClientCredentialsTokenRequest', additionalProperties: false },
)
export type ClientCredentialsTokenRequest = Static<typeof ClientCredentialsTokenRequestSchema>

/**
 * The token request body, discriminated on `grant_type`. An unknown `grant_type` fails the
 * schema's `enum` at `/grant_type`; the token route maps that failure to
 * `unsupported_grant_type` (RFC 6749 section 5.2).
 */
export const TokenRequestSchema = DiscriminatedUnion(
  'grant_type',
  [
    AuthorizationCodeTokenRequestSchema,
    RefreshTokenRequestSchema,
    ClientCredentialsTokenRequestSchema,
  ],
  { $id: 'TokenRequest' },
)
export type TokenRequest = Static<typeof TokenRequestSchema>

/** RFC 9449 section 5: `DPoP` for DPoP-bound tokens; `Bearer` for mTLS-bound ones (RFC 8705). */
export const TOKEN_TYPES = ['DPoP', 'Bearer'] as const
export type TokenType = (typeof TOKEN_TYPES)[number]

const tokenResponseProperties = {
  access_token: Type.String({ minLength: 1 }),
  expires_in: Type.Integer({ minimum: 1 }),
  refresh_token: Type.Optional(Type.String({ minLength: 1 })),
  scope: Type.Optional(Type.String()),
  /** OIDC Core section 3.1.3.3, when `openid` was requested. */
  id_token: Type.Optional(Type.String({ pattern: COMPACT_JWS_PATTERN })),
  /** FAPI Grant Management: the grant this token belongs to. */
  grant_id: Type.Optional(Type.String({ minLength: 1 })),
}

/** What the sandbox AS answers. */
export const TokenResponseSchema = Type.Object(
  {
    ...tokenResponseProperties,
    token_type: StringEnum(TOKEN_TYPES),
    /** RFC 9396 section 7: what was actually granted (accounts filled in at consent). */
    authorization_details: Type.Optional(embed(AuthorizationDetailsSchema)),
  },
  { $id: 'TokenResponse', additionalProperties: false },
)
export type TokenResponse = Static<typeof TokenResponseSchema>

/**
 * What a client accepts: `token_type` is case-insensitive (RFC 6749 section 7.1), details may carry
 * types this client did not ask for, and unknown members are ignored (section 5.1).
 */
export const TokenResponseOpenSchema = Type.Object(
  {
    ...tokenResponseProperties,
    token_type: Type.String({ minLength: 1 }),
    authorization_details: Type.Optional(embed(AuthorizationDetailsOpenSchema)),
  },
  { $id: 'TokenResponseOpen' },
)
export type TokenResponseOpen = Static<typeof TokenResponseOpenSchema>
