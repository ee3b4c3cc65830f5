import { exportJWK } from 'jose'
import { expect, test } from 'vitest'
import { keyProblem } from '../src/algorithms.js'
import { rules } from '../src/errors/rules.js'
import { selectClientKey } from '../src/jwks.js'
import { expectRule } from './helpers.js'
import { testKey, weakRsaJwk } from './keys.js'

test('selects by kid, and by key type among duplicate kids (AS-ALG-05)', async () => {
  const ec = await testKey('ES256', 'k1')
  const rsa = await testKey('PS256', 'k1')
  const selected = await selectClientKey(
    { keys: [rsa.publicJwk, ec.publicJwk] },
    { alg: 'ES256', kid: 'k1' },
  )
  expect(selected.jwk).toBe(ec.publicJwk)
  expect((await selectClientKey({ keys: [rsa.publicJwk] }, { alg: 'PS256' })).jwk).toBe(
    rsa.publicJwk,
  )
})

test('respects use and key_ops', async () => {
  const ec = await testKey('ES256', 'k1')
  await expectRule(
    selectClientKey({ keys: [{ ...ec.publicJwk, use: 'enc' }] }, { alg: 'ES256' }),
    rules.clientAssertionKey,
  )
  await expectRule(
    selectClientKey({ keys: [{ ...ec.publicJwk, key_ops: ['encrypt'] }] }, { alg: 'ES256' }),
    rules.clientAssertionKey,
  )
})

test('refuses a registered key with private members (AS-CA-09)', async () => {
  const ec = await testKey('ES256', 'k1')
  const priv = { ...(await exportJWK(ec.privateKey)), kid: 'k1' }
  await expectRule(
    selectClientKey({ keys: [priv] }, { alg: 'ES256', kid: 'k1' }),
    rules.clientAssertionKey,
  )
})

test('refuses an RSA key under 2048 bits (SP 5.4.1-2, AS-CA-13)', async () => {
  const weak = await weakRsaJwk('w')
  expect(keyProblem(weak, 'PS256')).toContain('1024 bits')
  await expectRule(selectClientKey({ keys: [weak] }, { alg: 'PS256' }), rules.clientKeyStrength)
})

test('EC keys must be P-256 and EdDSA keys Ed25519 (SP 5.4.1-3)', async () => {
  const ed = await testKey('EdDSA', 'e')
  expect(keyProblem(ed.publicJwk, 'EdDSA')).toBeUndefined()
  expect(keyProblem({ ...ed.publicJwk, crv: 'Ed448' }, 'EdDSA')).toContain('Ed25519')
  expect(keyProblem({ kty: 'EC', crv: 'P-384' }, 'ES256')).toContain('P-256')
})

test('a second selection of the same key material reuses the imported CryptoKey', async () => {
  const ec = await testKey('ES256', 'k1')
  const jwks = { keys: [ec.publicJwk] }
  const first = await selectClientKey(jwks, { alg: 'ES256', kid: 'k1' })
  const second = await selectClientKey(jwks, { alg: 'ES256', kid: 'k1' })
  expect(second.key).toBe(first.key)
  // A copy of the JWK (a client record read again) is the same key material: no new import.
  const copy = await selectClientKey({ keys: [{ ...ec.publicJwk }] }, { alg: 'ES256' })
  expect(copy.key).toBe(first.key)
  // Another key never hits the cache.
  const other = await testKey('ES256', 'k1')
  const different = await selectClientKey({ keys: [other.publicJwk] }, { alg: 'ES256' })
  expect(different.key).not.toBe(first.key)
  // The selection rules still run on every call.
  await expectRule(selectClientKey(jwks, { alg: 'ES256', kid: 'other' }), rules.clientAssertionKey)
})
