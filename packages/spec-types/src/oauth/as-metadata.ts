/**
 * Authorization server metadata (RFC 8414 section 2) and OpenID Provider metadata (OIDC Discovery
 * section 3) with the members FAPI 2.0 relies on: PAR (RFC 9126 section 5), RFC 9207 `iss`,
 * DPoP (RFC 9449 section 5.1), mTLS (RFC 8705 sections 3.3 and 5), JAR (RFC 9101 section 10.5),
 * JARM (section 4), RAR (RFC 9396 section 10), JWT introspection (RFC 9701 section 7) and
 * FAPI Grant Management.
 * @see https://www.rfc-editor.org/rfc/rfc8414.html#section-2
 */
import Type, { type Static, type TArray, type TString, type TUnsafe } from 'typebox'
import { embed, HttpsUrl, StringEnum } from '../json-schema.js'
import { CLIENT_AUTH_METHODS, RESPONSE_MODES, RESPONSE_TYPES } from './registration.js'
import { FAPI_SIGNING_ALGS } from './signing-alg.js'
import { GRANT_TYPES } from './token.js'

/** FAPI Grant Management: the `grant_management_action` values an AS can offer. */
export const GRANT_MANAGEMENT_ACTIONS = ['query', 'revoke', 'merge', 'replace', 'create'] as const
export type GrantManagementAction = (typeof GRANT_MANAGEMENT_ACTIONS)[number]

/** RFC 7636 section 4.2 values; FAPI 2.0 SP 5.3.2.2-5 allows only S256. */
export const CODE_CHALLENGE_METHODS = ['S256'] as const

/** OIDC Core section 8. */
export const SUBJECT_TYPES = ['public', 'pairwise'] as const

/** RFC 8705 section 5: endpoints reachable with mutual TLS when that runs on other hosts. */
export const MtlsEndpointAliasesSchema = Type.Object(
  {
    token_endpoint: Type.Optional(HttpsUrl()),
    pushed_authorization_request_endpoint: Type.Optional(HttpsUrl()),
    introspection_endpoint: Type.Optional(HttpsUrl()),
    revocation_endpoint: Type.Optional(HttpsUrl()),
    userinfo_endpoint: Type.Optional(HttpsUrl()),
    registration_endpoint: Type.Optional(HttpsUrl()),
    grant_management_endpoint: Type.Optional(HttpsUrl()),
  },
  { $id: 'MtlsEndpointAliases' },
)
export type MtlsEndpointAliases = Static<typeof MtlsEndpointAliasesSchema>

/**
 * How list members are typed: the bank's own document lists only FAPI values (`strict`); a client
 * reading metadata accepts any strings (an AS may offer more than FAPI to other clients) and checks
 * what it needs itself.
 */
type ListOf<Strict extends boolean, Values extends readonly string[]> = Strict extends true
  ? TArray<TUnsafe<Values[number]>>
  : TArray<TString>

function listOf<Strict extends boolean, const Values extends readonly string[]>(
  strict: Strict,
  values: Values,
): ListOf<Strict, Values> {
  return (
    strict
      ? Type.Array(StringEnum(values), { minItems: 1, uniqueItems: true })
      : Type.Array(Type.String(), { minItems: 1 })
  ) as ListOf<Strict, Values>
}

const strings = Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })

/** Members every FAPI 2.0 bank here publishes (AS-MD-01 to AS-MD-07 in the requirements). */
function fapiRequiredMembers<Strict extends boolean>(strict: Strict) {
  return {
    authorization_endpoint: HttpsUrl(),
    token_endpoint: HttpsUrl(),
    jwks_uri: HttpsUrl(),
    /** RFC 9126 section 5. */
    pushed_authorization_request_endpoint: HttpsUrl(),
    require_pushed_authorization_requests: Type.Boolean(),
    code_challenge_methods_supported: listOf(strict, CODE_CHALLENGE_METHODS),
    token_endpoint_auth_methods_supported: listOf(strict, CLIENT_AUTH_METHODS),
    /** RFC 9207 section 3. */
    authorization_response_iss_parameter_supported: Type.Boolean(),
  }
}

function optionalMembers<Strict extends boolean>(strict: Strict) {
  return {
    introspection_endpoint: Type.Optional(HttpsUrl()),
    revocation_endpoint: Type.Optional(HttpsUrl()),
    registration_endpoint: Type.Optional(HttpsUrl()),
    userinfo_endpoint: Type.Optional(HttpsUrl()),
    scopes_supported: Type.Optional(strings),
    response_modes_supported: Type.Optional(listOf(strict, RESPONSE_MODES)),
    grant_types_supported: Type.Optional(listOf(strict, GRANT_TYPES)),
    token_endpoint_auth_signing_alg_values_supported: Type.Optional(
      listOf(strict, FAPI_SIGNING_ALGS),
    ),
    introspection_endpoint_auth_methods_supported: Type.Optional(
      listOf(strict, CLIENT_AUTH_METHODS),
    ),
    introspection_endpoint_auth_signing_alg_values_supported: Type.Optional(
      listOf(strict, FAPI_SIGNING_ALGS),
    ),
    revocation_endpoint_auth_methods_supported: Type.Optional(listOf(strict, CLIENT_AUTH_METHODS)),
    revocation_endpoint_auth_signing_alg_values_supported: Type.Optional(
      listOf(strict, FAPI_SIGNING_ALGS),
    ),
    /** RFC 9101 section 10.5. */
    request_object_signing_alg_values_supported: Type.Optional(listOf(strict, FAPI_SIGNING_ALGS)),
    require_signed_request_object: Type.Optional(Type.Boolean()),
    request_parameter_supported: Type.Optional(Type.Boolean()),
    request_uri_parameter_supported: Type.Optional(Type.Boolean()),
    /** RFC 9449 section 5.1. */
    dpop_signing_alg_values_supported: Type.Optional(listOf(strict, FAPI_SIGNING_ALGS)),
    /** RFC 8705 section 3.3. */
    tls_client_certificate_bound_access_tokens: Type.Optional(Type.Boolean()),
    mtls_endpoint_aliases: Type.Optional(embed(MtlsEndpointAliasesSchema)),
    /** RFC 9396 section 10. */
    authorization_details_types_supported: Type.Optional(strings),
    /** JARM section 4. */
    authorization_signing_alg_values_supported: Type.Optional(listOf(strict, FAPI_SIGNING_ALGS)),
    /** RFC 9701 section 7. */
    introspection_signing_alg_values_supported: Type.Optional(listOf(strict, FAPI_SIGNING_ALGS)),
    /** FAPI Grant Management. */
    grant_management_actions_supported: Type.Optional(listOf(strict, GRANT_MANAGEMENT_ACTIONS)),
    grant_management_endpoint: Type.Optional(HttpsUrl()),
    grant_management_action_required: Type.Optional(Type.Boolean()),
    /** OIDC Discovery section 3. */
    subject_types_supported: Type.Optional(listOf(strict, SUBJECT_TYPES)),
    id_token_signing_alg_values_supported: Type.Optional(listOf(strict, FAPI_SIGNING_ALGS)),
    userinfo_signing_alg_values_supported: Type.Optional(listOf(strict, FAPI_SIGNING_ALGS)),
    claims_supported: Type.Optional(strings),
    claims_parameter_supported: Type.Optional(Type.Boolean()),
    acr_values_supported: Type.Optional(strings),
    prompt_values_supported: Type.Optional(strings),
    service_documentation: Type.Optional(HttpsUrl()),
    op_policy_uri: Type.Optional(HttpsUrl()),
    op_tos_uri: Type.Optional(HttpsUrl()),
  }
}

/** RFC 8414 section 2: the only members every AS must publish. */
function coreMembers<Strict extends boolean>(strict: Strict) {
  return {
    /** RFC 8414 section 2: https, no query or fragment. */
    issuer: HttpsUrl({ pattern: '^https://[^\\s?#]+$' }),
    response_types_supported: listOf(strict, RESPONSE_TYPES),
  }
}

/**
 * What a sandbox bank publishes at `/.well-known/oauth-authorization-server` and
 * `/.well-known/openid-configuration`: FAPI values only, no unlisted members.
 */
export const AuthorizationServerMetadataSchema = Type.Object(
  { ...coreMembers(true), ...fapiRequiredMembers(true), ...optionalMembers(true) },
  { $id: 'AuthorizationServerMetadata', additionalProperties: false },
)
export type AuthorizationServerMetadata = Static<typeof AuthorizationServerMetadataSchema>

/**
 * What the fintech accepts when it fetches metadata: only RFC 8414's required members must be
 * present and unknown members are ignored (RFC 8414 section 3.2). Values it does get must still be
 * FAPI values; whether the members it needs are present is the client's own check (CL-01).
 */
export const AuthorizationServerMetadataOpenSchema = Type.Object(
  {
    ...coreMembers(false),
    ...Type.Partial(Type.Object(fapiRequiredMembers(false))).properties,
    ...optionalMembers(false),
  },
  { $id: 'AuthorizationServerMetadataOpen' },
)
export type AuthorizationServerMetadataOpen = Static<typeof AuthorizationServerMetadataOpenSchema>
