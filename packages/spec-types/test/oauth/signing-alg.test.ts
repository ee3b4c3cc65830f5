import { describe, expect, test } from 'vitest'
import { FapiSigningAlgSchema, isFapiSigningAlg } from '../../src/oauth/signing-alg.js'
import { expectInvalid, expectValid } from '../support/validate.js'

describe('FAPI signing algorithms (SP 5.4.1-1)', () => {
  test.each(['PS256', 'ES256', 'EdDSA'])('accepts %s', (alg) => {
    expectValid(FapiSigningAlgSchema, alg)
    expect(isFapiSigningAlg(alg)).toBe(true)
  })
  test.each(['RS256', 'HS256', 'none', 'es256'])('rejects %s', (alg) => {
    expectInvalid(FapiSigningAlgSchema, alg)
    expect(isFapiSigningAlg(alg)).toBe(false)
  })
})
