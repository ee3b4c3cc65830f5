/**
 * Client authentication parameters sent in request bodies: `client_id` (RFC 6749 section 2.3.1)
 * and the JWT assertion of `private_key_jwt` (RFC 7523 section 2.2, OIDC Core section 9).
 * With `tls_client_auth` (RFC 8705 section 2) only `client_id` travels; the certificate does the rest.
 * @see https://www.rfc-editor.org/rfc/rfc7523.html#section-2.2
 */
import Type from 'typebox'

/** RFC 7523 section 2.2: the only `client_assertion_type` value. */
export const JWT_BEARER_CLIENT_ASSERTION_TYPE =
  'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/** A compact JWS: three base64url segments. */
export const COMPACT_JWS_PATTERN = '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*$'

/**
 * Members spread into each OAuth request body schema. `client_assertion_type` stays a plain string
 * so a wrong value reaches the client-authentication check, which answers `invalid_client` with its
 * rule rather than a generic schema error.
 */
export const clientAuthenticationProperties = {
  client_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  client_assertion_type: Type.Optional(Type.String({ minLength: 1 })),
  client_assertion: Type.Optional(Type.String({ pattern: COMPACT_JWS_PATTERN, maxLength: 8192 })),
}
