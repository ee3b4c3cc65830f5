/**
 * A bank's authorization server metadata (RFC 8414 section 2; OIDC Discovery 1.0 section 3),
 * built from its profile with the members FAPI 2.0 SP 5.3.2.1, 5.3.2.2 and FAPI 2.0 MS ask for.

 */
import type { Bank } from '@sandbox/spec-types/banking/bank'
import type {
  AuthorizationServerMetadata,
  MtlsEndpointAliases,
} from '@sandbox/spec-types/oauth/as-metadata'
import { FAPI_SIGNING_ALGS } from '@sandbox/spec-types/oauth/signing-alg'
import { BANK_SIGNING_ALGS } from './keys/key-ring.js'

/**
 * `openid` for ID tokens (OIDC Core section 3.1.2.1); `accounts` and `payments` name the two
 * banking APIs coarsely, while what exactly is granted travels in `authorization_details`
 * (RFC 9396: `account_information`, `payment_initiation`).
 */
export const SCOPES_SUPPORTED = ['openid', 'accounts', 'payments'] as const

/** RFC 9396 section 10: the detail types the consent page understands. */
export const AUTHORIZATION_DETAILS_TYPES = ['account_information', 'payment_initiation'] as const

/** The claims the bank's ID tokens carry (OIDC Core sections 2 and 5.1). */
export const CLAIMS_SUPPORTED = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'acr',
  'name',
  'given_name',
  'family_name',
  'email',
] as const

/** Endpoint paths under the issuer, named as in RFC 8414 metadata. */
export const ENDPOINT_PATHS = {
  pushed_authorization_request_endpoint: '/par',
  authorization_endpoint: '/authorize',
  token_endpoint: '/token',
  introspection_endpoint: '/introspect',
  revocation_endpoint: '/revoke',
  registration_endpoint: '/register',
  userinfo_endpoint: '/userinfo',
  jwks_uri: '/jwks',
} as const

export interface MetadataUrls {
  /** `${publicBaseUrl}/${bank.id}`. */
  issuer: string
  /** The mutual-TLS listener's base URL; absent means no aliases. */
  mtlsBaseUrl?: string | undefined
}

function usesMtls(bank: Bank): boolean {
  return bank.profile.senderConstraint === 'mtls' || bank.profile.clientAuth === 'tls_client_auth'
}

/** RFC 8705 section 5: the endpoints a client calls with its certificate, on the mTLS listener. */
function mtlsAliases(bank: Bank, mtlsBaseUrl: string): MtlsEndpointAliases {
  const base = `${mtlsBaseUrl}/${bank.id}`
  return {
    token_endpoint: `${base}${ENDPOINT_PATHS.token_endpoint}`,
    pushed_authorization_request_endpoint: `${base}${ENDPOINT_PATHS.pushed_authorization_request_endpoint}`,
    introspection_endpoint: `${base}${ENDPOINT_PATHS.introspection_endpoint}`,
    revocation_endpoint: `${base}${ENDPOINT_PATHS.revocation_endpoint}`,
    userinfo_endpoint: `${base}${ENDPOINT_PATHS.userinfo_endpoint}`,
  }
}

/** Builds the document a bank publishes; the route serializes it with the spec-types schema. */
export function buildMetadata(bank: Bank, urls: MetadataUrls): AuthorizationServerMetadata {
  const { issuer } = urls
  const { profile } = bank
  const at = (path: string) => `${issuer}${path}`
  const fapiAlgs = [...FAPI_SIGNING_ALGS]
  // What the bank signs with: the algorithms it holds keys for (FAPI 2.0 SP 5.4.1-1).
  const ownAlgs = [...BANK_SIGNING_ALGS]
  const authMethods = [profile.clientAuth]
  const mtls = usesMtls(bank)

  return {
    issuer,
    pushed_authorization_request_endpoint: at(ENDPOINT_PATHS.pushed_authorization_request_endpoint),
    // FAPI 2.0 SP 5.3.2.2-2/-3, RFC 9126 section 5: every authorization request goes through PAR.
    require_pushed_authorization_requests: true,
    authorization_endpoint: at(ENDPOINT_PATHS.authorization_endpoint),
    token_endpoint: at(ENDPOINT_PATHS.token_endpoint),
    introspection_endpoint: at(ENDPOINT_PATHS.introspection_endpoint),
    revocation_endpoint: at(ENDPOINT_PATHS.revocation_endpoint),
    registration_endpoint: at(ENDPOINT_PATHS.registration_endpoint),
    userinfo_endpoint: at(ENDPOINT_PATHS.userinfo_endpoint),
    jwks_uri: at(ENDPOINT_PATHS.jwks_uri),
    // FAPI 2.0 SP 5.3.2.2-1: the code flow only.
    response_types_supported: ['code'],
    // JARM section 4 (`jwt`) beside RFC 9207 `iss` in the query; which one a client gets is its
    // registration's `response_modes` (FAPI 2.0 MS 5.4.1-1 makes `jwt` mandatory for MS clients).
    response_modes_supported: ['query', 'jwt'],
    // FAPI 2.0 SP 5.3.2.1-2: no password or implicit grant.
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    // FAPI 2.0 SP 5.3.2.2-5: S256 only.
    code_challenge_methods_supported: ['S256'],
    // FAPI 2.0 SP 5.3.2.1-6: one of the two FAPI methods, the one this bank's profile requires.
    token_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    ...(profile.clientAuth === 'private_key_jwt'
      ? {
          token_endpoint_auth_signing_alg_values_supported: fapiAlgs,
          introspection_endpoint_auth_signing_alg_values_supported: fapiAlgs,
          revocation_endpoint_auth_signing_alg_values_supported: fapiAlgs,
        }
      : {}),
    // RFC 9101 section 10.5; FAPI 2.0 MS 5.3.1-1 for banks that require request objects.
    request_object_signing_alg_values_supported: fapiAlgs,
    require_signed_request_object: profile.requireSignedRequestObject,
    // RFC 9449 section 5.1 (DPoP banks) or RFC 8705 section 3.3 (mTLS bank): FAPI 2.0 SP 5.3.2.1-5.
    ...(profile.senderConstraint === 'dpop' ? { dpop_signing_alg_values_supported: fapiAlgs } : {}),
    ...(profile.senderConstraint === 'mtls'
      ? { tls_client_certificate_bound_access_tokens: true }
      : {}),
    ...(mtls && urls.mtlsBaseUrl !== undefined
      ? { mtls_endpoint_aliases: mtlsAliases(bank, urls.mtlsBaseUrl) }
      : {}),
    // RFC 9207 section 3; FAPI 2.0 SP 5.3.2.2-7.
    authorization_response_iss_parameter_supported: true,
    authorization_details_types_supported: [...AUTHORIZATION_DETAILS_TYPES],
    // JARM section 4, RFC 9701 section 7, OIDC Discovery section 3: what the bank signs with.
    authorization_signing_alg_values_supported: ownAlgs,
    introspection_signing_alg_values_supported: ownAlgs,
    id_token_signing_alg_values_supported: ownAlgs,
    scopes_supported: [...SCOPES_SUPPORTED],
    subject_types_supported: ['public'],
    claims_supported: [...CLAIMS_SUPPORTED],
  }
}
