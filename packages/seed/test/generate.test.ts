import { describe, expect, test } from 'vitest'
import { BANKS, bankDefinition } from '../src/banks.js'
import { generateBank, parseAsOf } from '../src/generate.js'
import { iban, isValidIban } from '../src/iban.js'
import { createRandom, hashSeed } from '../src/random.js'

describe('generateBank', () => {
  test('is a pure function of (seed, bank, options)', () => {
    const take = (seed: number) => [
      ...generateBank(seed, bankDefinition('aurora'), { customers: 5 }).customers,
    ]
    expect(take(1)).toEqual(take(1))
    expect(take(1)).not.toEqual(take(2))
  })

  test('validates its options', () => {
    expect(() => generateBank(1, bankDefinition('aurora'), { customers: 0 })).toThrow(/customers/)
    expect(() => parseAsOf('2026-13-01')).toThrow(/YYYY-MM-DD/)
    expect(() => parseAsOf('1 Nov 2026')).toThrow(/YYYY-MM-DD/)
    expect(() => bankDefinition('nope')).toThrow(/unknown bank id/)
  })

  test('banks are distinct and cover both sender constraints and the teaching profile', () => {
    expect(new Set(BANKS.map((b) => b.name)).size).toBe(BANKS.length)
    expect(new Set(BANKS.map((b) => b.currency)).size).toBe(BANKS.length)
    for (const bank of BANKS) {
      expect(bank.primaryColour).toMatch(/^#[0-9a-f]{6}$/)
      expect(bank.accentColour).toMatch(/^#[0-9a-f]{6}$/)
      expect(bank.id).toMatch(/^[a-z][a-z0-9-]*$/)
    }
    expect(bankDefinition('aurora').profile).toMatchObject({
      senderConstraint: 'dpop',
      clientAuth: 'private_key_jwt',
    })
    expect(bankDefinition('meridian').profile).toMatchObject({
      senderConstraint: 'mtls',
      clientAuth: 'tls_client_auth',
    })
    expect(bankDefinition('fjord').profile).toMatchObject({
      dpopNonceRequired: true,
      accessTokenLifetimeSeconds: 120,
      requireSignedRequestObject: true,
      authorizationResponseMode: 'jwt',
    })
  })
})

describe('helpers', () => {
  test('IBAN check digits match published examples', () => {
    expect(iban('GB', 'WEST12345698765432')).toBe('GB82WEST12345698765432')
    expect(iban('DE', '370400440532013000')).toBe('DE89370400440532013000')
    expect(isValidIban('GB82WEST12345698765432')).toBe(true)
    expect(isValidIban('GB83WEST12345698765432')).toBe(false)
  })

  test('the random stream is reproducible and in range', () => {
    const a = createRandom(hashSeed(42, 'aurora'))
    const b = createRandom(hashSeed(42, 'aurora'))
    const draws = Array.from({ length: 1000 }, () => a.int(1, 6))
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b.int(1, 6)))
    expect(Math.min(...draws)).toBe(1)
    expect(Math.max(...draws)).toBe(6)
    expect(hashSeed(42, 'aurora')).not.toBe(hashSeed(42, 'meridian'))
  })
})
