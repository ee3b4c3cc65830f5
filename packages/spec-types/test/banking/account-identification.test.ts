import { describe, expect, test } from 'vitest'
import {
  AccountIdentificationSchema,
  isValidIbanChecksum,
} from '../../src/banking/account-identification.js'
import { expectInvalid, expectValid } from '../support/validate.js'

describe('AccountIdentification', () => {
  test('accepts both schemes', () => {
    expectValid(AccountIdentificationSchema, { scheme: 'IBAN', iban: 'GB33BUKB20201555555555' })
    expectValid(AccountIdentificationSchema, {
      scheme: 'SortCodeAccountNumber',
      sortCode: '202015',
      accountNumber: '55555555',
    })
  })
  test.each([
    { scheme: 'IBAN', iban: 'gb33bukb20201555555555' },
    { scheme: 'IBAN', iban: 'GB33 BUKB 2020 1555 5555 55' },
    { scheme: 'IBAN', iban: 'GB33BUKB20201555555555', sortCode: '202015' },
    { scheme: 'SortCodeAccountNumber', sortCode: '202015', accountNumber: '5555555' },
    { scheme: 'BBAN', bban: '20201555555555' },
    { iban: 'GB33BUKB20201555555555' },
  ])('rejects %j', (value) => expectInvalid(AccountIdentificationSchema, value))
  test('isValidIbanChecksum applies ISO 13616 mod 97', () => {
    expect(isValidIbanChecksum('GB33BUKB20201555555555')).toBe(true)
    expect(isValidIbanChecksum('DE89370400440532013000')).toBe(true)
    expect(isValidIbanChecksum('GB34BUKB20201555555555')).toBe(false)
  })
})
