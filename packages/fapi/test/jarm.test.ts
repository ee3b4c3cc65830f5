import { decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose'
import { beforeAll, expect, test } from 'vitest'
import { rules } from '../src/errors/rules.js'
import {
  createJarmResponse,
  type VerifyJarmResponseOptions,
  verifyJarmResponse,
} from '../src/jarm.js'
import type { ClientJwks } from '../src/jwks.js'
import type { SigningKey } from '../src/signing-key.js'
import { expectRule } from './helpers.js'
import { type TestKey, testKey } from './keys.js'

const ISS = 'https://bank.sandbox.test'
const NOW = 1_750_000_000
let bank: TestKey
let bankEd: TestKey
let evil: TestKey
let rs256: TestKey
let bankKey: SigningKey
let jwks: ClientJwks

beforeAll(async () => {
  ;[bank, bankEd, evil, rs256] = await Promise.all([
    testKey('ES256', 'bank-1'),
    testKey('EdDSA', 'bank-ed'),
    testKey('ES256', 'bank-1'),
    testKey('RS256', 'bank-rs'),
  ])
  bankKey = { key: bank.privateKey, alg: 'ES256', kid: 'bank-1' }
  jwks = { keys: [bank.publicJwk, bankEd.publicJwk, rs256.publicJwk] }
})

function verify(response: string | undefined, extra: Partial<VerifyJarmResponseOptions> = {}) {
  return verifyJarmResponse({ response, issuer: ISS, clientId: 'c3', now: NOW, jwks, ...extra })
}

/** JARM[x]: a valid success response with changes. */
async function jarm(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: TestKey = bank,
  alg = 'ES256',
) {
  const payload: Record<string, unknown> = {
    iss: ISS,
    aud: 'c3',
    exp: NOW + 60,
    code: 'C',
    state: 'S',
    ...claims,
  }
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k]
  return new SignJWT(payload)
    .setProtectedHeader({ alg, kid: key.publicJwk.kid, ...header })
    .sign(key.privateKey)
}

test('a success response carries iss, aud, exp, iat, code and state (JARM 2.1)', async () => {
  const response = await createJarmResponse({
    issuer: ISS,
    clientId: 'c3',
    now: NOW,
    key: bankKey,
    params: { code: 'C', state: 'S' },
  })
  expect(decodeProtectedHeader(response)).toEqual({ alg: 'ES256', kid: 'bank-1' })
  expect(decodeJwt(response)).toEqual({
    iss: ISS,
    aud: 'c3',
    iat: NOW,
    exp: NOW + 60,
    code: 'C',
    state: 'S',
  })
  expect(await verify(response)).toEqual({ code: 'C', state: 'S' })
})

test('an error response is wrapped too, and EdDSA works (MS-JARM-04)', async () => {
  const response = await createJarmResponse({
    issuer: ISS,
    clientId: 'c3',
    now: NOW,
    lifetimeSeconds: 600,
    key: { key: bankEd.privateKey, alg: 'EdDSA', kid: 'bank-ed' },
    params: { error: 'access_denied', error_description: 'the user said no', state: 'S' },
  })
  expect(decodeJwt(response).exp).toBe(NOW + 600)
  expect(await verify(response, { now: NOW + 599 })).toEqual({
    error: 'access_denied',
    error_description: 'the user said no',
    state: 'S',
  })
  expect(await verify(await jarm({ state: undefined }, { typ: 'JWT' }))).toEqual({ code: 'C' })
  expect(await verify(await jarm({ aud: ['c3', 'other'] }))).toEqual({ code: 'C', state: 'S' })
})

test('createJarmResponse refuses lifetimes over 600 s', async () => {
  await expect(
    createJarmResponse({
      issuer: ISS,
      clientId: 'c3',
      now: NOW,
      lifetimeSeconds: 601,
      key: bankKey,
      params: { code: 'C' },
    }),
  ).rejects.toThrow(RangeError)
})

test('bad signature, foreign key, unknown kid, not a JWT (JARM 2.4)', async () => {
  const good = await jarm()
  const [h, p, s] = good.split('.')
  const tampered = `${h}.${p?.slice(0, -2)}${p?.endsWith('AA') ? 'BB' : 'AA'}.${s}`
  for (const bad of [
    tampered,
    await jarm({}, {}, evil),
    await jarm({}, { kid: 'x' }),
    'C',
    undefined,
  ]) {
    await expectRule(verify(bad), rules.jarmSignature)
  }
})

test('alg none, HS256, RS256 (SP 5.4.1-1)', async () => {
  const unsigned = new UnsecuredJWT({ iss: ISS, aud: 'c3', exp: NOW + 60, code: 'C' }).encode()
  const hs = await new SignJWT({ code: 'C' })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new Uint8Array(32))
  for (const bad of [unsigned, hs, await jarm({}, {}, rs256, 'RS256')]) {
    await expectRule(verify(bad), rules.jarmAlg)
  }
})

test('another kind of JWT, e.g. an access token (RFC 8725 3.11)', async () => {
  await expectRule(verify(await jarm({}, { typ: 'at+jwt' })), rules.jarmTyp)
})

test('missing or wrong iss (mix-up)', async () => {
  for (const iss of [undefined, 'https://evil.test']) {
    await expectRule(verify(await jarm({ iss })), rules.jarmIssuer)
  }
})

test('missing or wrong aud', async () => {
  for (const aud of [undefined, 'c1', ['c1']]) {
    await expectRule(verify(await jarm({ aud })), rules.jarmAudience)
  }
})

test('missing or passed exp', async () => {
  for (const exp of [undefined, NOW, 'tomorrow']) {
    await expectRule(verify(await jarm({ exp })), rules.jarmExpired)
  }
})

test('neither code nor error, both, or non-string members (an ID token is no JARM response)', async () => {
  for (const change of [
    { code: undefined },
    { error: 'access_denied' },
    { code: 42 },
    { state: 7 },
    { code: undefined, error: 'access_denied', error_description: ['x'] },
  ]) {
    await expectRule(verify(await jarm(change)), rules.jarmParameters)
  }
})
