import { describe, test } from 'vitest'
import {
  AuthorizationRequestSchema,
  AuthorizationResponseSchema,
  PushedAuthorizationReferenceSchema,
} from '../../src/oauth/authorization-request.js'
import { expectInvalid, expectValid } from '../support/validate.js'
import { parRequest } from './fixtures.js'

describe('authorization request and response', () => {
  test('accepts the pushed parameters and the front-channel reference (RFC 9126 section 4)', () => {
    const { client_assertion: _a, client_assertion_type: _t, ...request } = parRequest
    expectValid(AuthorizationRequestSchema, request)
    expectValid(PushedAuthorizationReferenceSchema, {
      client_id: 'c1',
      request_uri: 'urn:ietf:params:oauth:request_uri:bwc4JK-ESC0w8acc191e-Y1LTC2',
    })
  })
  test('rejects front-channel extras, a repeated parameter and a missing code_challenge', () => {
    expectInvalid(PushedAuthorizationReferenceSchema, {
      client_id: 'c1',
      request_uri: 'urn:ietf:params:oauth:request_uri:x',
      scope: 'payments',
    })
    expectInvalid(AuthorizationRequestSchema, { ...parRequest, scope: ['a', 'b'] })
    const {
      code_challenge: _c,
      client_assertion: _a,
      client_assertion_type: _t,
      ...rest
    } = parRequest
    expectInvalid(AuthorizationRequestSchema, rest)
  })
  test('the callback tolerates unknown members (RFC 6749 section 4.1.2)', () => {
    expectValid(AuthorizationResponseSchema, {
      code: 'c',
      state: 'S',
      iss: 'https://northwind.sandbox.test',
      session_state: 'x',
    })
    expectInvalid(AuthorizationResponseSchema, { response: 'not a jwt' })
  })
})
