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

test('drops keys once the second they expire in has passed, keeping keys remembered again', async () => {
  let now = 100
  const store = createMemoryJtiStore({ now: () => now })
  await store.remember('short', 100.5)
  await store.remember('long', 160)
  await store.remember('again', 101)
  expect(store.size).toBe(3)
  now = 101
  // 'again' expired at 101 and is taken anew, now until 200: the sweep of second 101 keeps it.
  expect(await store.remember('again', 200)).toBe(true)
  expect(store.size).toBe(2)
  now = 102
  expect(await store.remember('other', 150)).toBe(true)
  expect(await store.remember('again', 210)).toBe(false)
  expect(await store.remember('long', 170)).toBe(false)
  now = 160
  // 'other' (150) and the first 'long' (160) are gone; 'again' stays until 210.
  expect(await store.remember('long', 170)).toBe(true)
  expect(store.size).toBe(2)
})

test('a full store drops its oldest insertion and still refuses the newer replays', async () => {
  const now = 100
  const store = createMemoryJtiStore({ now: () => now, maxEntries: 3 })
  for (const key of ['a', 'b', 'c', 'd']) expect(await store.remember(key, 200)).toBe(true)
  expect(store.size).toBe(3)
  expect(await store.remember('d', 200)).toBe(false)
  expect(await store.remember('b', 200)).toBe(false)
  // 'a' was the one dropped: the documented cost of a bound.
  expect(await store.remember('a', 200)).toBe(true)
})
