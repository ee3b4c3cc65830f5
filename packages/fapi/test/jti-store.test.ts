import { expect, test } from 'vitest'
import { createMemoryJtiStore } from '../src/jti-store.js'

test('remembers until expiry, sweeps, and stays bounded', async () => {
  let now = 100
  const store = createMemoryJtiStore({ now: () => now, maxEntries: 2 })
  expect(await store.remember('a', 110)).toBe(true)
  expect(await store.remember('a', 110)).toBe(false)
  now = 110
  expect(await store.remember('a', 120)).toBe(true)
  await store.remember('b', 130)
  await store.remember('c', 130)
  expect(store.size).toBe(2)
})
