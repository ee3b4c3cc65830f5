import { decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose'
import { beforeAll, expect, test } from 'vitest'
import {
  type IssueAccessTokenOptions,
  issueAccessToken,
  type VerifyAccessTokenOptions,
  verifyAccessToken,
} from '../src/access-token.js'
import { rules } from '../src/errors/rules.js'
import { type ClientJwks, issuerKeyResolver } from '../src/jwks.js'
import type { SigningKey } from '../src/signing-key.js'
import { expectRule } from './helpers.js'
import { type TestKey, testKey } from './keys.js'

const ISS = 'https://bank.sandbox.test'
const RS = 'https://api.bank.sandbox.test'
const NOW = 1_750_000_000
const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
const X5T = 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2'
let bank: TestKey
let bankPs: TestKey
let evil: TestKey
let rs256: TestKey
let bankKey: SigningKey
let jwks: ClientJwks

beforeAll(async () => {
  ;[bank, bankPs, evil, rs256] = await Promise.all([
    testKey('ES256', 'bank-1'),
    testKey('PS256', 'bank-ps'),
    testKey('ES256', 'bank-1'),
    testKey('RS256', 'bank-rs'),
  ])
  bankKey = { key: bank.privateKey, alg: 'ES256', kid: 'bank-1' }
  jwks = { keys: [bank.publicJwk, bankPs.publicJwk, rs256.publicJwk] }
})

function issue(extra: Partial<IssueAccessTokenOptions> = {}) {
  return issueAccessToken({
    issuer: ISS,
    audience: RS,
    clientId: 'c1',
    subject: 'user-1',
    scope: 'openid accounts',
    grantId: 'g1',
    authorizationDetails: [{ type: 'account_information', actions: ['read'] }],
    cnf: { jkt: JKT },
    now: NOW,
    lifetimeSeconds: 300,
    key: bankKey,
    ...extra,
  })
}

function verify(token: string, extra: Partial<VerifyAccessTokenOptions> = {}) {
  return verifyAccessToken({ token, issuer: ISS, audience: RS, now: NOW, keys: jwks, ...extra })
}

/** AT[x]: a valid token's claims with changes, signed by the bank unless told otherwise. */
async function at(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: TestKey = bank,
  alg = 'ES256',
) {
  const payload: Record<string, unknown> = {
    iss: ISS,
    aud: RS,
    sub: 'user-1',
    client_id: 'c1',
    iat: NOW,
    exp: NOW + 300,
    jti: 'j1',
    cnf: { jkt: JKT },
    ...claims,
  }
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k]
  return new SignJWT(payload)
    .setProtectedHeader({ alg, kid: key.publicJwk.kid, typ: 'at+jwt', ...header })
    .sign(key.privateKey)
}

test('issues an at+jwt with RFC 9068 claims that the RS verifies', async () => {
  const { token, claims } = await issue()
  expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: 'bank-1', typ: 'at+jwt' })
  expect(claims).toEqual({
    iss: ISS,
    aud: RS,
    sub: 'user-1',
    client_id: 'c1',
    iat: NOW,
    exp: NOW + 300,
    jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    scope: 'openid accounts',
    authorization_details: [{ type: 'account_information', actions: ['read'] }],
    grant_id: 'g1',
    cnf: { jkt: JKT },
  })
  expect(await verify(token)).toEqual(claims)
})

test('client_credentials: sub is the client_id; certificate binding; audience lists', async () => {
  const { token, claims } = await issue({
    subject: undefined,
    scope: 'payments',
    grantId: undefined,
    authorizationDetails: undefined,
    cnf: { 'x5t#S256': X5T },
    audience: [RS, 'https://other-rs'],
    jti: 'fixed',
  })
  expect(claims).toEqual({
    iss: ISS,
    aud: [RS, 'https://other-rs'],
    sub: 'c1',
    client_id: 'c1',
    iat: NOW,
    exp: NOW + 300,
    jti: 'fixed',
    scope: 'payments',
    cnf: { 'x5t#S256': X5T },
  })
  expect((await verify(token, { now: NOW + 299 })).cnf).toEqual({ 'x5t#S256': X5T })
  const ps = await issue({ key: { key: bankPs.privateKey, alg: 'PS256', kid: 'bank-ps' } })
  expect((await verify(ps.token)).sub).toBe('user-1')
})

test('the RS imports the bank keys once per JWKS object', async () => {
  const header = { alg: 'ES256', kid: 'bank-1' }
  const first = await issuerKeyResolver(jwks)(header)
  expect(await issuerKeyResolver(jwks)(header)).toBe(first)
  const resolver = async () => first
  expect(issuerKeyResolver(resolver)).toBe(resolver)
  const { token } = await issue()
  expect((await verify(token, { keys: resolver })).client_id).toBe('c1')
})

test('issuing refuses a lifetime outside 1-3600 s and a cnf with both or no bindings', async () => {
  await expect(issue({ lifetimeSeconds: 3601 })).rejects.toThrow(RangeError)
  await expect(issue({ lifetimeSeconds: 0 })).rejects.toThrow(RangeError)
  // @ts-expect-error cnf takes exactly one binding
  await expect(issue({ cnf: { jkt: JKT, 'x5t#S256': X5T } })).rejects.toThrow(TypeError)
  // @ts-expect-error cnf is required
  await expect(issue({ cnf: {} })).rejects.toThrow(TypeError)
})

test('tampered, foreign-signed, unknown kid, alg none/HS256/RS256, not a JWT (RS-04)', async () => {
  const { token } = await issue()
  const [h, p, s] = token.split('.')
  const tampered = `${h}.${p?.slice(0, -2)}${p?.endsWith('AA') ? 'BB' : 'AA'}.${s}`
  const unsigned = new UnsecuredJWT({ iss: ISS, aud: RS }).encode()
  const hs = await new SignJWT({ iss: ISS })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .sign(new Uint8Array(32))
  for (const bad of [
    tampered,
    await at({}, {}, evil),
    await at({}, { kid: 'nope' }),
    unsigned,
    hs,
    await at({}, {}, rs256, 'RS256'),
    'opaque-token',
  ]) {
    await expectRule(verify(bad), rules.accessTokenSignature)
  }
})

test('typ missing, JWT, or another kind of JWT (RFC 9068 4, AS-ALG-04)', async () => {
  for (const typ of [undefined, 'JWT', 'dpop+jwt', 'token-introspection+jwt']) {
    await expectRule(verify(await at({}, { typ })), rules.accessTokenTyp)
  }
  expect(await verify(await at({}, { typ: 'application/at+jwt' }))).toBeDefined()
})

test('expired, or iat/nbf beyond the skew (RS-04)', async () => {
  const { token } = await issue()
  await expectRule(verify(token, { now: NOW + 300 }), rules.accessTokenExpired)
  await expectRule(verify(await at({ iat: NOW + 61 })), rules.accessTokenExpired)
  await expectRule(verify(await at({ nbf: NOW + 61 })), rules.accessTokenExpired)
})

test('missing or mistyped claims (RFC 9068 2.2)', async () => {
  for (const change of [
    { sub: undefined },
    { client_id: undefined },
    { jti: '' },
    { exp: undefined },
    { iat: 'now' },
    { scope: ['accounts'] },
    { authorization_details: { type: 'x' } },
  ]) {
    await expectRule(verify(await at(change)), rules.accessTokenClaims)
  }
})

test('no cnf, an empty one, or both bindings (SP 5.3.2.1-4)', async () => {
  for (const cnf of [undefined, {}, { jkt: JKT, 'x5t#S256': X5T }, { jkt: 42 }]) {
    await expectRule(verify(await at({ cnf })), rules.accessTokenUnbound)
  }
})

test('another issuer (RS-11)', async () => {
  await expectRule(verify(await at({ iss: 'https://evil-as' })), rules.accessTokenIssuer)
  await expectRule(verify(await at({ iss: undefined })), rules.accessTokenIssuer)
})

test('another audience (RS-11)', async () => {
  for (const aud of ['https://other-rs', ['https://other-rs'], undefined]) {
    await expectRule(verify(await at({ aud })), rules.accessTokenAudience)
  }
})
