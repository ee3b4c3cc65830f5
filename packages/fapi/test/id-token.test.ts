import { decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose'
import { beforeAll, expect, test } from 'vitest'
import { rules } from '../src/errors/rules.js'
import {
  type CreateIdTokenOptions,
  createIdToken,
  type ValidateIdTokenOptions,
  validateIdToken,
} from '../src/id-token.js'
import type { ClientJwks } from '../src/jwks.js'
import { expectRule } from './helpers.js'
import { type TestKey, testKey } from './keys.js'

const ISS = 'https://bank.sandbox.test'
const NOW = 1_750_000_000
let bank: TestKey
let bankPs: TestKey
let evil: TestKey
let rs256: TestKey
let jwks: ClientJwks

beforeAll(async () => {
  ;[bank, bankPs, evil, rs256] = await Promise.all([
    testKey('ES256', 'bank-1'),
    testKey('PS256', 'bank-ps'),
    testKey('ES256', 'bank-1'),
    testKey('RS256', 'bank-rs'),
  ])
  jwks = { keys: [bank.publicJwk, bankPs.publicJwk, rs256.publicJwk] }
})

function create(extra: Partial<CreateIdTokenOptions> = {}) {
  return createIdToken({
    issuer: ISS,
    clientId: 'c1',
    subject: 'user-1',
    nonce: 'N',
    authTime: NOW - 30,
    acr: 'urn:sandbox:acr:sca',
    now: NOW,
    lifetimeSeconds: 300,
    key: { key: bank.privateKey, alg: 'ES256', kid: 'bank-1' },
    ...extra,
  })
}

function validate(idToken: string | undefined, extra: Partial<ValidateIdTokenOptions> = {}) {
  return validateIdToken({
    idToken,
    issuer: ISS,
    clientId: 'c1',
    nonce: 'N',
    now: NOW,
    jwks,
    ...extra,
  })
}

/** IDT[x]: a valid ID token with changes. */
async function idt(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: TestKey = bank,
  alg = 'ES256',
) {
  const payload: Record<string, unknown> = {
    iss: ISS,
    sub: 'user-1',
    aud: 'c1',
    iat: NOW,
    exp: NOW + 300,
    nonce: 'N',
    ...claims,
  }
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k]
  return new SignJWT(payload)
    .setProtectedHeader({ alg, kid: key.publicJwk.kid, ...header })
    .sign(key.privateKey)
}

test('createIdToken signs the AS-TOK-11 claims with a kid, and the client accepts them', async () => {
  const idToken = await create({ extraClaims: { txn: 't1', iss: 'ignored' } })
  expect(decodeProtectedHeader(idToken)).toEqual({ alg: 'ES256', kid: 'bank-1' })
  const expected = {
    txn: 't1',
    iss: ISS,
    sub: 'user-1',
    aud: 'c1',
    iat: NOW,
    exp: NOW + 300,
    auth_time: NOW - 30,
    nonce: 'N',
    acr: 'urn:sandbox:acr:sca',
  }
  expect(decodeJwt(idToken)).toEqual(expected)
  expect(await validate(idToken)).toEqual(expected)
})

test('no nonce sent and none in the token; aud as a one-element array; azp; PS256 when registered', async () => {
  const withoutNonce = await create({ nonce: undefined, acr: undefined })
  expect(decodeJwt(withoutNonce).nonce).toBeUndefined()
  expect((await validate(withoutNonce, { nonce: undefined })).sub).toBe('user-1')
  expect((await validate(await idt({ aud: ['c1'], azp: 'c1' }))).aud).toEqual(['c1'])
  const ps = await create({ key: { key: bankPs.privateKey, alg: 'PS256', kid: 'bank-ps' } })
  expect((await validate(ps, { allowedAlgs: ['PS256'] })).sub).toBe('user-1')
  expect(await validate(await idt({ iat: NOW + 10 }, { typ: 'JWT' }))).toBeDefined()
})

test('createIdToken refuses a lifetime that is not positive', async () => {
  await expect(create({ lifetimeSeconds: 0 })).rejects.toThrow(RangeError)
})

test('bad signature, foreign key, unknown kid, not a JWT (item 6)', async () => {
  const good = await idt()
  const [h, p, s] = good.split('.')
  const tampered = `${h}.${p?.slice(0, -2)}${p?.endsWith('AA') ? 'BB' : 'AA'}.${s}`
  for (const bad of [
    tampered,
    await idt({}, {}, evil),
    await idt({}, { kid: 'x' }),
    'x.y',
    undefined,
  ]) {
    await expectRule(validate(bad), rules.idTokenSignature)
  }
})

test('alg none, HS256, RS256, or another alg than registered (item 7, SP 5.4.1-1)', async () => {
  const unsigned = new UnsecuredJWT({ iss: ISS, sub: 'u', aud: 'c1' }).encode()
  const hs = await new SignJWT({ iss: ISS })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new Uint8Array(32))
  for (const bad of [unsigned, hs, await idt({}, {}, rs256, 'RS256')]) {
    await expectRule(validate(bad), rules.idTokenAlg)
  }
  await expectRule(validate(await idt(), { allowedAlgs: ['PS256'] }), rules.idTokenAlg)
})

test('an access token or DPoP proof offered as ID token (RFC 8725 3.11)', async () => {
  for (const typ of ['at+jwt', 'dpop+jwt']) {
    await expectRule(validate(await idt({}, { typ })), rules.idTokenTyp)
  }
})

test('wrong or missing iss (item 2)', async () => {
  for (const iss of ['https://evil.test', `${ISS}/`, undefined]) {
    await expectRule(validate(await idt({ iss })), rules.idTokenIssuer)
  }
})

test('wrong, missing or extra untrusted aud, or a foreign azp (items 3-5)', async () => {
  for (const change of [
    { aud: 'c2' },
    { aud: undefined },
    { aud: ['c1', 'https://untrusted'] },
    { aud: [] },
    { azp: 'c2' },
  ]) {
    await expectRule(validate(await idt(change)), rules.idTokenAudience)
  }
})

test('expired or missing exp (item 9)', async () => {
  for (const exp of [NOW, NOW - 60, undefined, '2030']) {
    await expectRule(validate(await idt({ exp })), rules.idTokenExpired)
  }
})

test('missing sub or iat, or iat beyond the skew (OIDC Core 2)', async () => {
  for (const change of [{ sub: undefined }, { iat: undefined }, { iat: NOW + 61 }]) {
    await expectRule(validate(await idt(change)), rules.idTokenClaims)
  }
})

test('wrong or missing nonce, or one that was never sent (item 11)', async () => {
  await expectRule(validate(await idt({ nonce: 'other' })), rules.idTokenNonce)
  await expectRule(validate(await idt({ nonce: undefined })), rules.idTokenNonce)
  await expectRule(validate(await idt(), { nonce: undefined }), rules.idTokenNonce)
})
