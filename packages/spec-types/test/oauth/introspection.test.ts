import { describe, test } from 'vitest'
import {
  IntrospectionRequestSchema,
  IntrospectionResponseOpenSchema,
  IntrospectionResponseSchema,
  TokenIntrospectionJwtClaimsSchema,
} from '../../src/oauth/introspection.js'
import { paymentInitiation } from '../rar/fixtures.js'
import { expectInvalid, expectValid } from '../support/validate.js'

const active = {
  active: true,
  client_id: 'c1',
  scope: 'payments',
  token_type: 'DPoP',
  exp: 1735689900,
  iat: 1735689600,
  sub: 'cust-1',
  iss: 'https://harbour.sandbox.test',
  cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' },
  authorization_details: [paymentInitiation],
}

describe('introspection (RFC 7662, RFC 9701)', () => {
  test('accepts a request, an active DPoP-bound and an mTLS-bound token, and an inactive one', () => {
    expectValid(IntrospectionRequestSchema, {
      token: 'abc',
      token_type_hint: 'access_token',
      client_id: 'rs',
    })
    expectValid(IntrospectionResponseSchema, active)
    expectValid(IntrospectionResponseSchema, {
      ...active,
      cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' },
    })
    expectValid(IntrospectionResponseSchema, { active: false })
  })
  test.each([
    ['both bindings', { cnf: { jkt: active.cnf.jkt, 'x5t#S256': active.cnf.jkt } }],
    ['empty cnf', { cnf: {} }],
    ['short thumbprint', { cnf: { jkt: 'abc' } }],
    ['string active', { active: 'true' }],
    ['extra member', { x: 1 }],
  ])('rejects %s', (_, change) =>
    expectInvalid(IntrospectionResponseSchema, { ...active, ...change }),
  )
  test('the open variant and the JWT claims tolerate extension members', () => {
    expectValid(IntrospectionResponseOpenSchema, {
      ...active,
      acr: 'x',
      cnf: { jkt: 'x', other: 1 },
    })
    expectValid(TokenIntrospectionJwtClaimsSchema, {
      iss: 'https://harbour.sandbox.test',
      aud: 'rs',
      iat: 1735689600,
      token_introspection: active,
    })
    expectInvalid(TokenIntrospectionJwtClaimsSchema, {
      iss: 'https://harbour.sandbox.test',
      aud: 'rs',
      iat: 1,
    })
  })
})
