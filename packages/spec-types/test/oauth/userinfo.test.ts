import { describe, test } from 'vitest'
import { UserinfoResponseSchema } from '../../src/oauth/userinfo.js'
import { expectInvalid, expectValid } from '../support/validate.js'

describe('userinfo response (OIDC Core section 5.3.2)', () => {
  test('accepts sub alone and the standard claims', () => {
    expectValid(UserinfoResponseSchema, { sub: 'cust-1' })
    expectValid(UserinfoResponseSchema, {
      sub: 'cust-1',
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      email: 'ada@example.test',
    })
  })
  test.each([{}, { sub: '' }, { sub: 'c', email: 'not-an-email' }, { sub: 'c', extra: 1 }])(
    'rejects %j',
    (value) => expectInvalid(UserinfoResponseSchema, value),
  )
})
