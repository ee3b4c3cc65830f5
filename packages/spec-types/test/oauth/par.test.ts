import { describe, expect, test } from 'vitest'
import { ParRequestSchema, ParResponseOpenSchema, ParResponseSchema } from '../../src/oauth/par.js'
import { createAjv, expectInvalid, expectValid, FASTIFY_AJV_OPTIONS } from '../support/validate.js'
import { assertion, parRequest } from './fixtures.js'

describe('PAR (RFC 9126)', () => {
  test('accepts a private_key_jwt push and a signed request object push', () => {
    expectValid(ParRequestSchema, parRequest)
    expectValid(ParRequestSchema, {
      client_id: 'c3',
      request: assertion,
      client_assertion: assertion,
    })
  })
  test.each([
    ['repeated scope (RFC 6749 section 3.1)', { scope: ['openid', 'accounts'] }],
    ['request that is not a JWS', { request: 'abc' }],
    ['client assertion that is not a JWS', { client_assertion: 'abc' }],
    ['extra parameter under a strict Ajv', { foo: 'bar' }],
  ])('rejects %s', (_, change) => expectInvalid(ParRequestSchema, { ...parRequest, ...change }))
  test('fastify strips unknown parameters (RFC 6749 section 3.1) instead of failing', () => {
    const validate = createAjv(FASTIFY_AJV_OPTIONS).compile(ParRequestSchema)
    const body: Record<string, unknown> = { ...parRequest, request_uri: 'urn:x', foo: 'bar' }
    expect(validate(body)).toBe(true)
    expect(body).toEqual(parRequest)
  })
  test('201 response: a URN request_uri and a lifetime', () => {
    const response = {
      request_uri: 'urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c',
      expires_in: 60,
    }
    expectValid(ParResponseSchema, response)
    expectInvalid(ParResponseSchema, { ...response, expires_in: 0 })
    expectInvalid(ParResponseSchema, { ...response, request_uri: 'https://as/par/1' })
    expectValid(ParResponseOpenSchema, { request_uri: 'https://as/par/1', expires_in: 90, x: 1 })
  })
})
