import { expect, test } from 'vitest'
import { createDpopNonces } from '../../src/dpop/nonce.js'

const secret = new Uint8Array(32).fill(7)

test('a nonce is valid in its slot and the next, not after, and not under another secret', async () => {
  const nonces = createDpopNonces(secret, { slotSeconds: 300 })
  const n = await nonces.issueDpopNonce(3000)
  expect(await nonces.checkDpopNonce(n, 3000)).toBe(true)
  expect(await nonces.checkDpopNonce(n, 3300)).toBe(true)
  expect(await nonces.checkDpopNonce(n, 3600)).toBe(false)
  expect(await nonces.checkDpopNonce('garbage', 3000)).toBe(false)
  const other = createDpopNonces(new Uint8Array(32).fill(8))
  expect(await other.checkDpopNonce(n, 3000)).toBe(false)
  expect(() => createDpopNonces(new Uint8Array(16))).toThrow(RangeError)
})
