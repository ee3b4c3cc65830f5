import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { openBankKeys } from '../../src/keys/bank-keys.js'
import { KeyFileError, keyFilePath } from '../../src/keys/key-file.js'
import { manualClock } from '../helpers.js'

const kids = (jwks: { keys: { kid: string }[] }) => jwks.keys.map((key) => key.kid).sort()

describe('bank signing keys', () => {
  let keysDir: string
  beforeEach(() => {
    keysDir = join(mkdtempSync(join(tmpdir(), 'bank-keys-')), 'keys')
  })
  afterEach(() => rmSync(join(keysDir, '..'), { recursive: true, force: true }))

  test('first start writes a 0600 key file atomically; a restart reuses the same kids', async () => {
    const clock = manualClock()
    const first = await openBankKeys({ keysDir, bankId: 'aurora', now: clock.now })
    const file = keyFilePath(keysDir, 'aurora')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(keysDir)).toEqual(['aurora.json'])
    const before = readFileSync(file, 'utf8')

    const second = await openBankKeys({ keysDir, bankId: 'aurora', now: clock.now })
    expect(kids(second.publicJwks())).toEqual(kids(first.publicJwks()))
    expect(second.signingKey('ES256').kid).toBe(first.signingKey('ES256').kid)
    expect(second.signingKey('PS256').kid).toBe(first.signingKey('PS256').kid)
    // Nothing changed, so nothing was rewritten.
    expect(readFileSync(file, 'utf8')).toBe(before)
  })

  test('ES256 is the default; ES256 and PS256 signatures verify against the published JWKS', async () => {
    const keys = await openBankKeys({ keysDir, bankId: 'aurora', now: manualClock().now })
    expect(keys.signingKey().alg).toBe('ES256')
    const jwks = createLocalJWKSet(keys.publicJwks())
    for (const alg of ['ES256', 'PS256'] as const) {
      const { kid, privateKey } = keys.signingKey(alg)
      const jwt = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg, kid }).sign(privateKey)
      const { protectedHeader } = await jwtVerify(jwt, jwks)
      expect(protectedHeader).toEqual({ alg, kid })
    }
  })

  test('kids are RFC 7638 thumbprints, distinct banks get distinct keys', async () => {
    const now = manualClock().now
    const aurora = await openBankKeys({ keysDir, bankId: 'aurora', now })
    const meridian = await openBankKeys({ keysDir, bankId: 'meridian', now })
    const all = [...kids(aurora.publicJwks()), ...kids(meridian.publicJwks())]
    expect(new Set(all).size).toBe(all.length)
    for (const kid of all) expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  test('rotation: next is published before it signs; the old current stays for the grace period', async () => {
    const clock = manualClock()
    const keys = await openBankKeys({
      keysDir,
      bankId: 'aurora',
      now: clock.now,
      retiredGraceSeconds: 3600,
    })
    const oldCurrent = keys.signingKey('ES256').kid
    const published = kids(keys.publicJwks())
    expect(published).toHaveLength(4) // current + next, for ES256 and PS256
    const next = published.filter(
      (kid) => kid !== oldCurrent && kid !== keys.signingKey('PS256').kid,
    )
    const esNext = next.find(
      (kid) => keys.publicJwks().keys.find((key) => key.kid === kid)?.alg === 'ES256',
    )
    expect(esNext).toBeDefined()

    clock.advance(60)
    await keys.rotate()
    expect(keys.signingKey('ES256').kid).toBe(esNext)
    const afterRotation = kids(keys.publicJwks())
    expect(afterRotation).toContain(oldCurrent)
    expect(afterRotation).toHaveLength(6) // + a new next per alg, old currents retired

    // A restart inside the grace period sees the same ring.
    const reopened = await openBankKeys({
      keysDir,
      bankId: 'aurora',
      now: clock.now,
      retiredGraceSeconds: 3600,
    })
    expect(kids(reopened.publicJwks())).toEqual(afterRotation)
    expect(reopened.signingKey('ES256').kid).toBe(esNext)

    clock.advance(3600)
    expect(kids(keys.publicJwks())).not.toContain(oldCurrent)
    expect(kids(keys.publicJwks())).toHaveLength(4)
  })

  test('the published JWKS is one frozen object until a rotation or the end of a grace period', async () => {
    const clock = manualClock()
    const keys = await openBankKeys({
      keysDir,
      bankId: 'aurora',
      now: clock.now,
      retiredGraceSeconds: 3600,
    })
    const first = keys.publicJwks()
    clock.advance(600)
    expect(keys.publicJwks()).toBe(first)
    expect(Object.isFrozen(first.keys[0])).toBe(true)
    const retiring = keys.signingKey('ES256').kid
    await keys.rotate()
    const rotated = keys.publicJwks()
    expect(rotated).not.toBe(first)
    expect(kids(rotated)).toContain(retiring)
    clock.advance(3599)
    expect(keys.publicJwks()).toBe(rotated)
    clock.advance(1)
    const afterGrace = keys.publicJwks()
    expect(kids(afterGrace)).not.toContain(retiring)
    // A clock set back (tests, the console) is never answered from a set computed later.
    clock.advance(-1)
    expect(kids(keys.publicJwks())).toContain(retiring)
  })

  test('overlapping rotations run one after the other', async () => {
    const keys = await openBankKeys({ keysDir, bankId: 'aurora', now: manualClock().now })
    const first = keys.signingKey().kid
    await Promise.all([keys.rotate(), keys.rotate()])
    const published = kids(keys.publicJwks())
    // Two rotations: two retired generations, a current and a next per algorithm.
    expect(published).toHaveLength(8)
    expect(published).toContain(first)
    expect(keys.signingKey().kid).not.toBe(first)
  })

  test('a key file whose kid is not the thumbprint is refused with the file named', async () => {
    await openBankKeys({ keysDir, bankId: 'aurora', now: manualClock().now })
    const file = keyFilePath(keysDir, 'aurora')
    const content = JSON.parse(readFileSync(file, 'utf8'))
    content.keys[0].jwk.kid = 'edited-by-hand'
    writeFileSync(file, JSON.stringify(content))
    const error = await openBankKeys({ keysDir, bankId: 'aurora', now: manualClock().now }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(KeyFileError)
    expect((error as Error).message).toContain(file)
    expect((error as Error).message).toContain('RFC 7638')
  })

  test('a key file of another bank is refused', async () => {
    await openBankKeys({ keysDir, bankId: 'aurora', now: manualClock().now })
    writeFileSync(
      keyFilePath(keysDir, 'meridian'),
      readFileSync(keyFilePath(keysDir, 'aurora'), 'utf8'),
    )
    await expect(
      openBankKeys({ keysDir, bankId: 'meridian', now: manualClock().now }),
    ).rejects.toThrow(/keys of aurora, not of meridian/)
  })
})
