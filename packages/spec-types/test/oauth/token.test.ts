import { describe, expect, expectTypeOf, test } from 'vitest'
import {
  type TokenRequest,
  TokenRequestSchema,
  type TokenResponse,
  TokenResponseOpenSchema,
  TokenResponseSchema,
} from '../../src/oauth/token.js'
import { accountInformation } from '../rar/fixtures.js'
import { createAjv, expectInvalid, expectValid, FASTIFY_AJV_OPTIONS } from '../support/validate.js'
import { assertion } from './fixtures.js'

const codeRequest = {
  grant_type: 'authorization_code',
  code: 'SplxlOBeZQQYbYS6WxSbIA',
  redirect_uri: 'https://fintech.sandbox.test/callback',
  code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  client_id: 'c1',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: assertion,
}

describe('token request', () => {
  test('accepts each grant type', () => {
    expectValid(TokenRequestSchema, codeRequest)
    expectValid(TokenRequestSchema, {
      grant_type: 'refresh_token',
      refresh_token: 'r',
      client_id: 'c2',
    })
    expectValid(TokenRequestSchema, {
      grant_type: 'client_credentials',
      scope: 'payments',
      client_id: 'c2',
    })
  })
  test.each([
    ['unknown grant type', { ...codeRequest, grant_type: 'password' }],
    ['missing code_verifier', { ...codeRequest, code_verifier: undefined }],
    ['refresh member under authorization_code', { ...codeRequest, refresh_token: 'r' }],
    ['missing refresh_token', { grant_type: 'refresh_token' }],
  ])('rejects %s', (_, value) =>
    expectInvalid(TokenRequestSchema, JSON.parse(JSON.stringify(value))),
  )
  test('fastify strips unknown parameters of the matching grant only', () => {
    const validate = createAjv(FASTIFY_AJV_OPTIONS).compile(TokenRequestSchema)
    const body = { grant_type: 'refresh_token', refresh_token: 'r', code: 'x', client_id: 'c1' }
    expect(validate(body)).toBe(true)
    expect(body).toEqual({ grant_type: 'refresh_token', refresh_token: 'r', client_id: 'c1' })
  })
  test('the static type narrows on grant_type', () => {
    expectTypeOf<
      Extract<TokenRequest, { grant_type: 'authorization_code' }>['code_verifier']
    >().toEqualTypeOf<string>()
    expectTypeOf<TokenRequest['grant_type']>().toEqualTypeOf<
      'authorization_code' | 'refresh_token' | 'client_credentials'
    >()
  })
})

describe('token response', () => {
  const response: TokenResponse = {
    access_token: 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU',
    token_type: 'DPoP',
    expires_in: 300,
    refresh_token: 'Q..Zkm29lexi8VnWg2zPW1x-tgGad0Ibc3s3EwM_Ni4-g',
    grant_id: 'TSdqirmAxDa0_-DB_1bASQ',
    authorization_details: [{ ...accountInformation, accounts: ['acc-1'] }],
  }
  test('accepts DPoP and Bearer responses with granted details', () => {
    expectValid(TokenResponseSchema, response)
    expectValid(TokenResponseSchema, { ...response, token_type: 'Bearer' })
    expectTypeOf<TokenResponse['token_type']>().toEqualTypeOf<'DPoP' | 'Bearer'>()
  })
  test.each([
    ['lower-case token type from the AS', { token_type: 'dpop' }],
    ['unknown detail type', { authorization_details: [{ type: 'tax_filing' }] }],
    ['zero lifetime', { expires_in: 0 }],
    ['extra member', { x: 1 }],
  ])('rejects %s', (_, change) => expectInvalid(TokenResponseSchema, { ...response, ...change }))
  test('the open variant tolerates extension members, foreign details and case', () => {
    expectValid(TokenResponseOpenSchema, {
      ...response,
      token_type: 'dpop',
      authorization_details: [{ type: 'tax_filing', extra: true }],
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    })
  })
})
