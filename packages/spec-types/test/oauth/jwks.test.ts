import { describe, test } from 'vitest'
import { PublicJwkSchema, PublicJwksSchema } from '../../src/oauth/jwks.js'
import { expectInvalid, expectValid } from '../support/validate.js'

const ecKey = {
  kty: 'EC',
  crv: 'P-256',
  kid: 'k1',
  use: 'sig',
  alg: 'ES256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
}

describe('public JWKs (RFC 7517)', () => {
  test('accepts EC and OKP keys and a set', () => {
    expectValid(PublicJwkSchema, ecKey)
    expectValid(PublicJwkSchema, {
      kty: 'OKP',
      crv: 'Ed25519',
      x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
    })
    expectValid(PublicJwksSchema, { keys: [ecKey] })
  })
  test.each([
    ['private EC key', { ...ecKey, d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' }],
    ['symmetric key', { kty: 'oct', k: 'GawgguFyGrWKav7AX4VKUg' }],
    ['oct key type', { kty: 'oct' }],
    ['RSA private exponent', { kty: 'RSA', n: 'x', e: 'AQAB', p: 'y' }],
  ])('rejects %s', (_, value) => expectInvalid(PublicJwkSchema, value))
  test('rejects an empty set', () => expectInvalid(PublicJwksSchema, { keys: [] }))
})
