import { expect, test } from 'vitest'
import { importPublicJwk } from '../src/public-key-cache.js'
import { testKey } from './keys.js'

test('the same key material imports once, whatever object carries it', async () => {
  const { publicJwk } = await testKey('ES256', 'a')
  const first = await importPublicJwk(publicJwk, 'ES256')
  expect(await importPublicJwk({ ...publicJwk, kid: 'b' }, 'ES256')).toBe(first)
  expect(await importPublicJwk(publicJwk, 'PS256').catch(() => 'refused')).toBe('refused')
})

test('a key that fails to import is not remembered as failed', async () => {
  const { publicJwk } = await testKey('ES256', 'a')
  const broken = { ...publicJwk, x: 'AAAA' }
  await expect(importPublicJwk(broken, 'ES256')).rejects.toThrow()
  await expect(importPublicJwk(broken, 'ES256')).rejects.toThrow()
})
