/**
 * Authorization request parameters (RFC 6749 section 4.1.1, RFC 7636 section 4.3, RFC 9396
 * section 3, OIDC Core section 3.1.2.1), the front-channel request that refers to a pushed one
 * (RFC 9126 section 4) and the authorization response (RFC 6749 section 4.1.2, RFC 9207 section 2,
 * JARM section 2).
 * @see https://www.rfc-editor.org/rfc/rfc9126.html#section-4
 */
import Type, { type Static } from 'typebox'
import { COMPACT_JWS_PATTERN } from './client-authentication.js'

/** RFC 7636 section 4.2: base64url of a SHA-256 hash is exactly 43 characters. */
export const CODE_CHALLENGE_PATTERN = '^[A-Za-z0-9_-]{43}$'

/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
export const CODE_VERIFIER_PATTERN = '^[A-Za-z0-9._~-]{43,128}$'

/**
 * The parameters a client pushes (or puts in a request object). Policy values that have their own
 * rule in the requirements (`response_type` must be `code`, `code_challenge_method` must be `S256`,
 * `redirect_uri` must be registered) are plain strings here so the check that owns the rule answers
 * with its clause instead of a generic schema error.
 */
export const authorizationRequestProperties = {
  response_type: Type.String({ minLength: 1 }),
  client_id: Type.String({ minLength: 1, maxLength: 255 }),
  redirect_uri: Type.String({ format: 'uri' }),
  scope: Type.Optional(
    Type.String({
      pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+(?: [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*$',
    }),
  ),
  state: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  code_challenge: Type.String({ minLength: 1, maxLength: 128 }),
  code_challenge_method: Type.String({ minLength: 1 }),
  /** RFC 9396 section 3: JSON-encoded array, parsed and checked against AuthorizationDetails. */
  authorization_details: Type.Optional(Type.String({ minLength: 2, maxLength: 16384 })),
  /** OIDC Core section 3.1.2.1. */
  nonce: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  response_mode: Type.Optional(Type.String({ minLength: 1 })),
  prompt: Type.Optional(Type.String({ minLength: 1 })),
  login_hint: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  /** RFC 9449 section 10: binds the authorization code to this DPoP key thumbprint. */
  dpop_jkt: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' })),
  /** FAPI Grant Management: act on an existing grant. */
  grant_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  grant_management_action: Type.Optional(Type.String({ minLength: 1 })),
}

export const AuthorizationRequestSchema = Type.Object(authorizationRequestProperties, {
  $id: 'AuthorizationRequest',
  additionalProperties: false,
})
export type AuthorizationRequest = Static<typeof AuthorizationRequestSchema>

/**
 * RFC 9126 section 4: the query at the authorization endpoint is `client_id` and `request_uri`;
 * FAPI 2.0 SP 5.3.2.2-2 forbids anything else counting (extra parameters are dropped).
 */
export const PushedAuthorizationReferenceSchema = Type.Object(
  {
    client_id: Type.String({ minLength: 1, maxLength: 255 }),
    request_uri: Type.String({ minLength: 1, maxLength: 512 }),
  },
  { $id: 'PushedAuthorizationReference', additionalProperties: false },
)
export type PushedAuthorizationReference = Static<typeof PushedAuthorizationReferenceSchema>

/**
 * The query at the client's redirect URI: a code, an error, or (JARM) a `response` JWT. Open,
 * because the client must ignore what it does not know; which members must appear is the
 * callback validation's job (RFC 9207 section 2.4: `iss` is compared with the expected issuer).
 */
export const AuthorizationResponseSchema = Type.Object(
  {
    code: Type.Optional(Type.String({ minLength: 1 })),
    state: Type.Optional(Type.String()),
    iss: Type.Optional(Type.String({ format: 'uri' })),
    error: Type.Optional(Type.String({ minLength: 1 })),
    error_description: Type.Optional(Type.String()),
    error_uri: Type.Optional(Type.String()),
    /** JARM section 2.3.1: the whole response as a signed JWT. */
    response: Type.Optional(Type.String({ pattern: COMPACT_JWS_PATTERN })),
  },
  { $id: 'AuthorizationResponse' },
)
export type AuthorizationResponse = Static<typeof AuthorizationResponseSchema>
