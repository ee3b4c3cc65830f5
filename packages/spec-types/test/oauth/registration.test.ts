import { describe, test } from 'vitest'
import {
  ClientInformationSchema,
  ClientUpdateRequestSchema,
  RegistrationRequestSchema,
} from '../../src/oauth/registration.js'
import { expectInvalid, expectValid } from '../support/validate.js'

const metadata = {
  redirect_uris: ['https://fintech.sandbox.test/callback'],
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'PS256',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  client_name: 'Demo Fintech',
  jwks_uri: 'https://fintech.sandbox.test/jwks',
  dpop_bound_access_tokens: true,
  authorization_details_types: ['account_information', 'payment_initiation'],
}

describe('dynamic client registration (RFC 7591)', () => {
  test('accepts a DPoP private_key_jwt client and an mTLS tls_client_auth client', () => {
    expectValid(RegistrationRequestSchema, metadata)
    const { jwks_uri: _uri, dpop_bound_access_tokens: _dpop, ...rest } = metadata
    expectValid(RegistrationRequestSchema, {
      ...rest,
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: 'CN=fintech.sandbox.test,O=Demo Fintech',
      tls_client_certificate_bound_access_tokens: true,
      jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] },
      response_modes: ['jwt'],
      authorization_signed_response_alg: 'ES256',
    })
    expectValid(ClientInformationSchema, {
      client_id: 'c1',
      client_id_issued_at: 1735689600,
      ...metadata,
    })
  })
  test.each([
    ['http redirect URI', { redirect_uris: ['http://fintech.sandbox.test/callback'] }],
    ['redirect URI with fragment', { redirect_uris: ['https://fintech.sandbox.test/cb#x'] }],
    ['no redirect URIs', { redirect_uris: [] }],
    ['client secret (DCR-02)', { token_endpoint_auth_method: 'client_secret_basic' }],
    ['auth method none', { token_endpoint_auth_method: 'none' }],
    ['implicit grant (DCR-04)', { grant_types: ['implicit'] }],
    ['hybrid response type', { response_types: ['code id_token'] }],
    ['RS256 (DCR-05)', { token_endpoint_auth_signing_alg: 'RS256' }],
    ['alg none for id tokens', { id_token_signed_response_alg: 'none' }],
    ['http jwks_uri (DCR-06)', { jwks_uri: 'http://fintech.sandbox.test/jwks' }],
    ['both jwks and jwks_uri', { jwks: { keys: [{ kty: 'EC', x: 'a' }] } }],
    [
      'private key in jwks',
      { jwks_uri: undefined, jwks: { keys: [{ kty: 'EC', x: 'a', d: 'b' }] } },
    ],
    ['unknown details type', { authorization_details_types: ['tax_filing'] }],
    ['an automatic consent other than approve or deny', { sandbox_automatic_consent: 'maybe' }],
  ])('rejects %s', (_, change) =>
    expectInvalid(
      RegistrationRequestSchema,
      JSON.parse(JSON.stringify({ ...metadata, ...change })),
    ),
  )
})

describe('the sandbox_automatic_consent extension (sandbox only)', () => {
  test.each(['approve', 'deny'])(
    'is accepted as %s in requests and client information',
    (decision) => {
      expectValid(RegistrationRequestSchema, { ...metadata, sandbox_automatic_consent: decision })
      expectValid(ClientInformationSchema, {
        client_id: 'c1',
        ...metadata,
        sandbox_automatic_consent: decision,
      })
    },
  )
})

describe('redirect_uris is only needed by code-flow clients (RFC 7591 section 2)', () => {
  test('a client_credentials client registers without one', () => {
    const { redirect_uris: _uris, response_types: _types, ...rest } = metadata
    expectValid(RegistrationRequestSchema, { ...rest, grant_types: ['client_credentials'] })
  })
})

describe('client update request (RFC 7592 section 2.2)', () => {
  test('is the metadata with the client_id', () => {
    expectValid(ClientUpdateRequestSchema, { client_id: 'c1', ...metadata })
  })
  test('rejects a request without client_id', () => {
    expectInvalid(ClientUpdateRequestSchema, metadata)
  })
})
