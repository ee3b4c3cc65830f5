import { describe, test } from 'vitest'
import { BankSchema } from '../../src/banking/bank.js'
import { expectInvalid, expectValid } from '../support/validate.js'
import { bank } from './fixtures.js'

describe('Bank', () => {
  test('accepts a DPoP bank and an mTLS bank', () => {
    expectValid(BankSchema, bank)
    expectValid(BankSchema, {
      ...bank,
      id: 'harbour-bank',
      currency: 'EUR',
      country: 'DE',
      bic: 'HARBDEFFXXX',
      profile: { ...bank.profile, senderConstraint: 'mtls', clientAuth: 'tls_client_auth' },
    })
  })
  test.each([
    ['bad colour', { brand: { primaryColour: '#0b3d9', accentColour: '#FFC72C' } }],
    ['named colour', { brand: { primaryColour: 'navy', accentColour: '#FFC72C' } }],
    ['bad slug', { id: 'North Wind' }],
    ['lower-case country', { country: 'gb' }],
    ['unknown currency', { currency: 'ABC' }],
    ['bad bic', { bic: 'NWBK' }],
    ['extra member', { issuer: 'https://northwind.test' }],
    ['unknown sender constraint', { profile: { ...bank.profile, senderConstraint: 'bearer' } }],
    ['client secret auth', { profile: { ...bank.profile, clientAuth: 'client_secret_basic' } }],
    ['zero token lifetime', { profile: { ...bank.profile, accessTokenLifetimeSeconds: 0 } }],
  ])('rejects %s', (_, change) => expectInvalid(BankSchema, { ...bank, ...change }))
})
