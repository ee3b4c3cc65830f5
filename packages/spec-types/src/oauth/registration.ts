/**
 * Dynamic client registration (RFC 7591): client metadata (section 2) as FAPI 2.0 narrows it, the
 * registration request (section 3.1) and the client information response (section 3.2.1).
 * Metadata from RFC 8705 section 2.1.2 (`tls_client_auth_*`), RFC 9449 section 5.2
 * (`dpop_bound_access_tokens`), RFC 9126 section 6 (`require_pushed_authorization_requests`),
 * RFC 9101 section 10.5 (`require_signed_request_object`), JARM section 3, RFC 9701 section 6,
 * RFC 9396 section 10 (`authorization_details_types`) and FAPI 2.0 MS 5.3.3 (`response_modes`).
 *
 * Closed sets here are the FAPI ones: a value outside them fails the schema, and the registration
 * route answers such failures with `invalid_client_metadata` (`invalid_redirect_uri` for
 * `/redirect_uris`), RFC 7591 section 3.2.2.
 * @see https://www.rfc-editor.org/rfc/rfc7591.html#section-2
 */
import Type, { type Static } from 'typebox'
import { embed, HttpsUrl, StringEnum } from '../json-schema.js'
import { AUTHORIZATION_DETAILS_TYPES } from '../rar/authorization-details.js'
import { PublicJwksSchema } from './jwks.js'
import { FapiSigningAlgSchema } from './signing-alg.js'
import { GRANT_TYPES } from './token.js'

/** FAPI 2.0 SP 5.3.2.1-6: no client secrets, no `none`. */
export const CLIENT_AUTH_METHODS = [
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
] as const
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number]

/** FAPI 2.0 SP 5.3.2.1-2: only the code flow. */
export const RESPONSE_TYPES = ['code'] as const

/**
 * Sandbox extension (not in any RFC): consent decided without the consent page, for headless tests.
 * `approve` grants what was asked, `deny` answers `access_denied`; absent means a person decides.
 */
export const AUTOMATIC_CONSENT_DECISIONS = ['approve', 'deny'] as const
export type AutomaticConsentDecision = (typeof AUTOMATIC_CONSENT_DECISIONS)[number]

/** Plain query, or JARM (`jwt`, `query.jwt`) for FAPI 2.0 MS clients. */
export const RESPONSE_MODES = ['query', 'jwt', 'query.jwt'] as const
export type ResponseMode = (typeof RESPONSE_MODES)[number]

const alg = embed(FapiSigningAlgSchema)

/**
 * Client metadata. `jwks` and `jwks_uri` must not both be present (RFC 7591 section 2);
 * redirect URIs are https only (FAPI 2.0 SP 5.3.2.2-1 via RFC 9700 section 2.1; no fragments,
 * RFC 6749 section 3.1.2). `redirect_uris` is optional as in RFC 7591 section 2: a client that
 * only uses `client_credentials` has no redirect URI, while a code-flow client must register one.
 */
const clientMetadataProperties = {
  redirect_uris: Type.Optional(
    Type.Array(HttpsUrl({ pattern: '^https://[^\\s#]+$' }), {
      minItems: 1,
      maxItems: 10,
      uniqueItems: true,
    }),
  ),
  token_endpoint_auth_method: StringEnum(CLIENT_AUTH_METHODS),
  token_endpoint_auth_signing_alg: Type.Optional(alg),
  grant_types: Type.Optional(
    Type.Array(StringEnum(GRANT_TYPES), { minItems: 1, uniqueItems: true }),
  ),
  response_types: Type.Optional(
    Type.Array(StringEnum(RESPONSE_TYPES), { minItems: 1, uniqueItems: true }),
  ),
  response_modes: Type.Optional(
    Type.Array(StringEnum(RESPONSE_MODES), { minItems: 1, uniqueItems: true }),
  ),
  client_name: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
  client_uri: Type.Optional(HttpsUrl()),
  logo_uri: Type.Optional(HttpsUrl()),
  tos_uri: Type.Optional(HttpsUrl()),
  policy_uri: Type.Optional(HttpsUrl()),
  contacts: Type.Optional(Type.Array(Type.String({ format: 'email' }), { maxItems: 10 })),
  scope: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  jwks_uri: Type.Optional(HttpsUrl()),
  jwks: Type.Optional(embed(PublicJwksSchema)),
  software_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  software_version: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  software_statement: Type.Optional(Type.String({ minLength: 1 })),
  /** RFC 8705 section 2.1.2: exactly one of these names the certificate of a tls_client_auth client. */
  tls_client_auth_subject_dn: Type.Optional(Type.String({ minLength: 1 })),
  tls_client_auth_san_dns: Type.Optional(Type.String({ format: 'hostname' })),
  tls_client_auth_san_uri: Type.Optional(Type.String({ format: 'uri' })),
  tls_client_auth_san_ip: Type.Optional(Type.String({ minLength: 2 })),
  tls_client_auth_san_email: Type.Optional(Type.String({ format: 'email' })),
  /** RFC 8705 section 3.4. */
  tls_client_certificate_bound_access_tokens: Type.Optional(Type.Boolean()),
  /** RFC 9449 section 5.2. */
  dpop_bound_access_tokens: Type.Optional(Type.Boolean()),
  id_token_signed_response_alg: Type.Optional(alg),
  request_object_signing_alg: Type.Optional(alg),
  require_signed_request_object: Type.Optional(Type.Boolean()),
  require_pushed_authorization_requests: Type.Optional(Type.Boolean()),
  /** JARM section 3. */
  authorization_signed_response_alg: Type.Optional(alg),
  /** RFC 9701 section 6. */
  introspection_signed_response_alg: Type.Optional(alg),
  authorization_details_types: Type.Optional(
    Type.Array(StringEnum(AUTHORIZATION_DETAILS_TYPES), { minItems: 1, uniqueItems: true }),
  ),
  /**
   * Sandbox extension (RFC 7591 section 2 lets servers define metadata): the consent decision the
   * bank takes for this client's test users without showing the consent page. Never offered by a
   * real bank; absent by default.
   */
  sandbox_automatic_consent: Type.Optional(StringEnum(AUTOMATIC_CONSENT_DECISIONS)),
}

/** RFC 7591 section 2: `jwks_uri` and `jwks` MUST NOT both be present. */
const notBothJwksForms = {
  not: { type: 'object', required: ['jwks', 'jwks_uri'], properties: { jwks: {}, jwks_uri: {} } },
}

export const ClientMetadataSchema = Type.Object(clientMetadataProperties, {
  $id: 'ClientMetadata',
  additionalProperties: false,
  ...notBothJwksForms,
})
export type ClientMetadata = Static<typeof ClientMetadataSchema>

/** RFC 7591 section 3.1: the registration request body is the client metadata. */
export const RegistrationRequestSchema = Type.Object(clientMetadataProperties, {
  $id: 'RegistrationRequest',
  additionalProperties: false,
  ...notBothJwksForms,
})
export type RegistrationRequest = Static<typeof RegistrationRequestSchema>

/**
 * RFC 7592 section 2.2: a client's update request is its full metadata plus its own `client_id`,
 * which must equal the one it was issued (the identifier cannot change).
 */
export const ClientUpdateRequestSchema = Type.Object(
  { client_id: Type.String({ minLength: 1, maxLength: 255 }), ...clientMetadataProperties },
  { $id: 'ClientUpdateRequest', additionalProperties: false, ...notBothJwksForms },
)
export type ClientUpdateRequest = Static<typeof ClientUpdateRequestSchema>

/**
 * RFC 7591 section 3.2.1: the registered metadata plus the client identifier, and the RFC 7592
 * management credentials when the AS offers client management. Also the stored client record.
 */
export const ClientInformationSchema = Type.Object(
  {
    client_id: Type.String({ minLength: 1, maxLength: 255 }),
    client_id_issued_at: Type.Optional(Type.Integer({ minimum: 0 })),
    registration_access_token: Type.Optional(Type.String({ minLength: 1 })),
    registration_client_uri: Type.Optional(HttpsUrl()),
    ...clientMetadataProperties,
  },
  { $id: 'ClientInformation', additionalProperties: false, ...notBothJwksForms },
)
export type ClientInformation = Static<typeof ClientInformationSchema>
