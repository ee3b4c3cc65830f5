import { describe, expectTypeOf, test } from 'vitest'
import {
  type AuthorizationServerMetadata,
  AuthorizationServerMetadataOpenSchema,
  AuthorizationServerMetadataSchema,
} from '../../src/oauth/as-metadata.js'
import { expectInvalid, expectValid } from '../support/validate.js'

const issuer = 'https://northwind.sandbox.test'

const metadata: AuthorizationServerMetadata = {
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  jwks_uri: `${issuer}/jwks`,
  pushed_authorization_request_endpoint: `${issuer}/par`,
  require_pushed_authorization_requests: true,
  introspection_endpoint: `${issuer}/introspect`,
  revocation_endpoint: `${issuer}/revoke`,
  registration_endpoint: `${issuer}/register`,
  response_types_supported: ['code'],
  response_modes_supported: ['query', 'jwt'],
  grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
  code_challenge_methods_supported: ['S256'],
  token_endpoint_auth_methods_supported: ['private_key_jwt'],
  token_endpoint_auth_signing_alg_values_supported: ['PS256', 'ES256', 'EdDSA'],
  request_object_signing_alg_values_supported: ['PS256', 'ES256'],
  dpop_signing_alg_values_supported: ['ES256', 'PS256', 'EdDSA'],
  authorization_response_iss_parameter_supported: true,
  authorization_details_types_supported: ['account_information', 'payment_initiation'],
  authorization_signing_alg_values_supported: ['PS256'],
  introspection_signing_alg_values_supported: ['PS256'],
  grant_management_actions_supported: ['query', 'revoke', 'replace', 'merge'],
  grant_management_endpoint: `${issuer}/grants`,
  scopes_supported: ['openid', 'accounts', 'payments'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['PS256', 'ES256'],
  claims_supported: ['sub', 'name'],
}

describe('authorization server metadata (RFC 8414)', () => {
  test('accepts a DPoP bank and an mTLS bank with aliases', () => {
    expectValid(AuthorizationServerMetadataSchema, metadata)
    expectValid(AuthorizationServerMetadataSchema, {
      ...metadata,
      token_endpoint_auth_methods_supported: ['tls_client_auth'],
      tls_client_certificate_bound_access_tokens: true,
      mtls_endpoint_aliases: { token_endpoint: 'https://mtls.northwind.sandbox.test/token' },
    })
  })
  test.each([
    ['plain PKCE', { code_challenge_methods_supported: ['plain', 'S256'] }],
    [
      'client_secret_basic (AS-MD-06)',
      { token_endpoint_auth_methods_supported: ['client_secret_basic'] },
    ],
    ['RS256 DPoP (AS-MD-07)', { dpop_signing_alg_values_supported: ['RS256'] }],
    ['http endpoint (AS-MD-14)', { token_endpoint: 'http://northwind.sandbox.test/token' }],
    ['issuer with query', { issuer: `${issuer}?x=1` }],
    ['unknown grant management action', { grant_management_actions_supported: ['delete'] }],
    ['PAR flag as string', { require_pushed_authorization_requests: 'true' }],
    ['unlisted member', { frontchannel_logout_supported: true }],
    ['missing PAR endpoint', { pushed_authorization_request_endpoint: undefined }],
  ])('rejects %s', (_, change) =>
    expectInvalid(
      AuthorizationServerMetadataSchema,
      JSON.parse(JSON.stringify({ ...metadata, ...change })),
    ),
  )
  test('the open variant needs only issuer and response types and tolerates the rest', () => {
    expectValid(AuthorizationServerMetadataOpenSchema, {
      issuer,
      response_types_supported: ['code', 'code id_token'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      frontchannel_logout_supported: true,
    })
    expectInvalid(AuthorizationServerMetadataOpenSchema, { issuer })
    expectInvalid(AuthorizationServerMetadataOpenSchema, {
      issuer: 'http://x',
      response_types_supported: ['code'],
    })
  })
  test('static types keep the FAPI values', () => {
    expectTypeOf<AuthorizationServerMetadata['code_challenge_methods_supported']>().toEqualTypeOf<
      'S256'[]
    >()
    expectTypeOf<
      NonNullable<AuthorizationServerMetadata['dpop_signing_alg_values_supported']>[number]
    >().toEqualTypeOf<'PS256' | 'ES256' | 'EdDSA'>()
  })
})
