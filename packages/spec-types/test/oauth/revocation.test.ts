import { describe, test } from 'vitest'
import { RevocationRequestSchema } from '../../src/oauth/revocation.js'
import { expectInvalid, expectValid } from '../support/validate.js'

describe('revocation request (RFC 7009 section 2.1)', () => {
  test('accepts a token with and without hint', () => {
    expectValid(RevocationRequestSchema, {
      token: 'r',
      token_type_hint: 'refresh_token',
      client_id: 'c1',
    })
    expectValid(RevocationRequestSchema, { token: 'r' })
  })
  test.each([{}, { token: '' }, { token: ['a', 'b'] }, { token: 'r', extra: 1 }])(
    'rejects %j',
    (value) => expectInvalid(RevocationRequestSchema, value),
  )
})
