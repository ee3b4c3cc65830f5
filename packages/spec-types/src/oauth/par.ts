/**
 * Pushed authorization requests (RFC 9126): the form body posted to the PAR endpoint (section 2.1)
 * and the `201 Created` response (section 2.2).
 * @see https://www.rfc-editor.org/rfc/rfc9126.html#section-2
 */
import Type, { type Static } from 'typebox'
import { authorizationRequestProperties } from './authorization-request.js'
import { COMPACT_JWS_PATTERN, clientAuthenticationProperties } from './client-authentication.js'

/** RFC 9126 section 2.2: the URN prefix of a `request_uri` this AS issues. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:'

/**
 * The PAR body: client authentication plus the authorization request, or a signed request object
 * in `request` (RFC 9126 section 3, FAPI 2.0 MS 5.3.1). With `request` present the AS uses only the
 * object's claims, so the other authorization parameters are optional here and the handler applies
 * JAR section 6.3. `request_uri` is forbidden at PAR (RFC 9126 section 2.1) and so is not listed:
 * Ajv's `removeAdditional` drops it, and the route rejects it if it wants to be explicit.
 */
export const ParRequestSchema = Type.Object(
  {
    ...clientAuthenticationProperties,
    ...authorizationRequestProperties,
    client_id: Type.String({ minLength: 1, maxLength: 255 }),
    response_type: Type.Optional(authorizationRequestProperties.response_type),
    redirect_uri: Type.Optional(authorizationRequestProperties.redirect_uri),
    code_challenge: Type.Optional(authorizationRequestProperties.code_challenge),
    code_challenge_method: Type.Optional(authorizationRequestProperties.code_challenge_method),
    request: Type.Optional(Type.String({ pattern: COMPACT_JWS_PATTERN, maxLength: 32768 })),
  },
  { $id: 'ParRequest', additionalProperties: false },
)
export type ParRequest = Static<typeof ParRequestSchema>

/** RFC 9126 section 2.2: what this AS answers (a URN `request_uri`, a positive lifetime). */
export const ParResponseSchema = Type.Object(
  {
    request_uri: Type.String({ pattern: '^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{22,}$' }),
    expires_in: Type.Integer({ minimum: 1 }),
  },
  { $id: 'ParResponse', additionalProperties: false },
)
export type ParResponse = Static<typeof ParResponseSchema>

/** What a client accepts: any `request_uri` string, extension members ignored. */
export const ParResponseOpenSchema = Type.Object(
  {
    request_uri: Type.String({ minLength: 1 }),
    expires_in: Type.Integer({ minimum: 1 }),
  },
  { $id: 'ParResponseOpen' },
)
export type ParResponseOpen = Static<typeof ParResponseOpenSchema>
