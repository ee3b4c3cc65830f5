/**
 * OAuth 2.0 error responses (RFC 6749 section 5.2) and the error codes the sandbox uses, from
 * RFC 6749, RFC 6750, RFC 7009, RFC 7591, RFC 9101, RFC 9126, RFC 9396 and RFC 9449.
 * @see https://www.rfc-editor.org/rfc/rfc6749.html#section-5.2
 */
import Type, { type Static } from 'typebox'
import { StringEnum } from '../json-schema.js'

export const OAUTH_ERROR_CODES = [
  // RFC 6749 sections 4.1.2.1 and 5.2
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
  // RFC 9101 section 6.3 (JAR) and RFC 9126 section 2.3 (PAR)
  'invalid_request_object',
  'invalid_request_uri',
  // RFC 9396 section 5 (RAR)
  'invalid_authorization_details',
  // RFC 9449 sections 5 and 8 (DPoP)
  'invalid_dpop_proof',
  'use_dpop_nonce',
  // RFC 6750 section 3.1 (resource servers)
  'invalid_token',
  'insufficient_scope',
  // RFC 7591 section 3.2.2 (dynamic registration)
  'invalid_redirect_uri',
  'invalid_client_metadata',
  'invalid_software_statement',
  'unapproved_software_statement',
  // RFC 7009 section 2.2.1 (revocation)
  'unsupported_token_type',
  // OIDC Core section 3.1.2.6
  'login_required',
  'consent_required',
  'interaction_required',
] as const
export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number]

/**
 * RFC 6749 section 5.2: `error_description` is limited to %x20-21 / %x23-5B / %x5D-7E, i.e.
 * printable ASCII without `"` and `\`.
 */
export const ERROR_DESCRIPTION_PATTERN = '^[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*$'

/** RFC 6749 section 5.2: `error_uri` characters are %x21 / %x23-5B / %x5D-7E. */
export const ERROR_URI_PATTERN = '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$'

/** The body the sandbox's own endpoints send. */
export const OAuthErrorResponseSchema = Type.Object(
  {
    error: StringEnum(OAUTH_ERROR_CODES),
    error_description: Type.Optional(Type.String({ pattern: ERROR_DESCRIPTION_PATTERN })),
    error_uri: Type.Optional(Type.String({ format: 'uri', pattern: ERROR_URI_PATTERN })),
  },
  { $id: 'OAuthErrorResponse', additionalProperties: false },
)
export type OAuthErrorResponse = Static<typeof OAuthErrorResponseSchema>

/**
 * What a client accepts from any AS: any error code, no character checks, extension members
 * tolerated (RFC 6749 section 5.1 applies the same ignore-unknown rule to errors in practice).
 */
export const OAuthErrorResponseOpenSchema = Type.Object(
  {
    error: Type.String({ minLength: 1 }),
    error_description: Type.Optional(Type.String()),
    error_uri: Type.Optional(Type.String()),
  },
  { $id: 'OAuthErrorResponseOpen' },
)
export type OAuthErrorResponseOpen = Static<typeof OAuthErrorResponseOpenSchema>

/** Is `code` one of {@link OAUTH_ERROR_CODES}? */
export function isOAuthErrorCode(code: unknown): code is OAuthErrorCode {
  return typeof code === 'string' && (OAUTH_ERROR_CODES as readonly string[]).includes(code)
}
