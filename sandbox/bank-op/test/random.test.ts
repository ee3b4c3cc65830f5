import { expect, test } from 'vitest'
import { createPooledRandomBytes, RANDOM_POOL_BYTES, systemRandomBytes } from '../src/random.js'

test('the pool hands out every byte once, in order, and refills when it runs short', () => {
  let fills = 0
  let next = 0
  const counter = (bytes: Uint8Array) => {
    fills++
    for (let i = 0; i < bytes.length; i++) bytes[i] = next++ % 256
    return bytes
  }
  const random = createPooledRandomBytes(counter)
  const first = random(16)
  const second = random(16)
  expect([...first]).toEqual([...Array(16).keys()])
  expect([...second]).toEqual([...Array(16).keys()].map((i) => i + 16))
  expect(fills).toBe(1)
  // What is left serves exactly 4,064 bytes; the next request needs a new pool, and none of the
  // old bytes is reused.
  const big = random(RANDOM_POOL_BYTES - 32)
  expect(big.length).toBe(RANDOM_POOL_BYTES - 32)
  expect(big[0]).toBe(32)
  expect(fills).toBe(1)
  expect(random(64)[0]).toBe(RANDOM_POOL_BYTES % 256)
  expect(fills).toBe(2)
  expect(random(RANDOM_POOL_BYTES + 1).length).toBe(RANDOM_POOL_BYTES + 1)
  expect(fills).toBe(3)
})

test('handed-out bytes are copies: changing them does not change the next ones', () => {
  const random = createPooledRandomBytes((bytes) => bytes.fill(7))
  random(8).fill(0)
  expect([...random(8)]).toEqual(Array(8).fill(7))
})

test('the system source gives distinct values', () => {
  const seen = new Set(
    Array.from({ length: 1000 }, () => Buffer.from(systemRandomBytes(16)).toString('hex')),
  )
  expect(seen.size).toBe(1000)
})
