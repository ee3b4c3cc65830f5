import { BANKS } from '@sandbox/seed/banks'
import { PRIVATE_JWK_MEMBERS } from '@sandbox/spec-types/oauth/jwks'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildTestBankOp, manualClock, type TestBankOp } from '../helpers.js'

describe('GET /{bank}/jwks', () => {
  const clock = manualClock()
  let bankOp: TestBankOp
  beforeAll(async () => {
    bankOp = await buildTestBankOp({ deps: { now: clock.now } })
  })
  afterAll(() => bankOp.close())

  for (const { id } of BANKS) {
    test(`${id}: public signing keys only, each with kid, alg and use (AS-MD-13, AS-ALG-03)`, async () => {
      const res = await bankOp.app.inject({ method: 'GET', url: `/${id}/jwks` })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/^application\/jwk-set\+json/)
      expect(res.headers['cache-control']).toMatch(/max-age=\d+/)
      const { keys } = res.json() as { keys: Record<string, unknown>[] }
      expect(keys.length).toBeGreaterThanOrEqual(2)
      const kids = keys.map((key) => key.kid)
      expect(new Set(kids).size).toBe(kids.length)
      for (const key of keys) {
        for (const member of PRIVATE_JWK_MEMBERS) expect(key).not.toHaveProperty(member)
        expect(key.kid).toEqual(expect.any(String))
        expect(key.use).toBe('sig')
        if (key.kty === 'EC') {
          expect(key).toMatchObject({ alg: 'ES256', crv: 'P-256' })
          expect(key).toHaveProperty('x')
          expect(key).toHaveProperty('y')
        } else {
          expect(key).toMatchObject({ kty: 'RSA', alg: 'PS256', e: 'AQAB' })
          const modulusBits = Buffer.from(String(key.n), 'base64url').length * 8
          expect(modulusBits).toBeGreaterThanOrEqual(2048)
        }
      }
    })
  }

  test('rotation is visible: the next key is published before it signs', async () => {
    const bank = BANKS[0]?.id ?? ''
    const keys = bankOp.keys.get(bank)
    if (!keys) throw new Error('no keys')
    const fetchKids = async () =>
      (
        (await bankOp.app.inject({ url: `/${bank}/jwks` })).json() as { keys: { kid: string }[] }
      ).keys.map((key) => key.kid)
    const before = await fetchKids()
    const oldCurrent = keys.signingKey().kid
    await keys.rotate()
    const after = await fetchKids()
    expect(before).toContain(keys.signingKey().kid)
    expect(after).toContain(oldCurrent)
  })

  test('an unknown bank is a 404 problem that lists the issuers there are', async () => {
    const res = await bankOp.app.inject({ method: 'GET', url: '/no-such-bank/jwks' })
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    const body = res.json()
    expect(body).toMatchObject({ status: 404, title: 'Unknown bank' })
    expect(body.detail).toContain("'no-such-bank'")
    for (const { id } of BANKS) expect(body.detail).toContain(`/${id}`)
  })
})
