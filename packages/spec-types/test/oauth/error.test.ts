import { describe, expect, test } from 'vitest'
import {
  isOAuthErrorCode,
  OAuthErrorResponseOpenSchema,
  OAuthErrorResponseSchema,
} from '../../src/oauth/error.js'
import { expectInvalid, expectValid } from '../support/validate.js'

describe('OAuth error response (RFC 6749 section 5.2)', () => {
  test('accepts the codes of STYLE 7.4 with a citing description', () => {
    for (const error of ['invalid_dpop_proof', 'use_dpop_nonce', 'invalid_authorization_details']) {
      expectValid(OAuthErrorResponseSchema, {
        error,
        error_description:
          "code_challenge_method must be S256, got 'plain' (FAPI 2.0 SP 5.3.2.2-5)",
      })
    }
    expect(isOAuthErrorCode('invalid_request_uri')).toBe(true)
    expect(isOAuthErrorCode('bad_thing')).toBe(false)
  })
  test.each([
    ['unknown code', { error: 'bad_thing' }],
    ['double quote in description', { error: 'invalid_request', error_description: 'got "x"' }],
    ['backslash in description', { error: 'invalid_request', error_description: 'a\\b' }],
    ['section sign in description', { error: 'invalid_request', error_description: '§5.2' }],
    ['extra member', { error: 'invalid_request', state: 'abc' }],
  ])('rejects %s', (_, value) => expectInvalid(OAuthErrorResponseSchema, value))
  test('the open variant takes any code and extension members', () => {
    expectValid(OAuthErrorResponseOpenSchema, {
      error: 'vendor_error',
      error_description: '"x"',
      x: 1,
    })
    expectInvalid(OAuthErrorResponseOpenSchema, { error_description: 'no code' })
  })
})
