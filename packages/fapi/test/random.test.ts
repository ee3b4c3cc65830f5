import { expect, test } from 'vitest'
import { randomIdentifier } from '../src/random.js'

test('128 random bits as 22 base64url characters by default, never fewer (SP 5.4.1-4)', () => {
  const ids = new Set(Array.from({ length: 1000 }, () => randomIdentifier()))
  expect(ids.size).toBe(1000)
  for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
  expect(randomIdentifier(32)).toMatch(/^[A-Za-z0-9_-]{43}$/)
  expect(() => randomIdentifier(8)).toThrow(RangeError)
})
