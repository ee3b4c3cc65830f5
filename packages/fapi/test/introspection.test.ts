import { decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose'
import { beforeAll, expect, test } from 'vitest'
import { rules } from '../src/errors/rules.js'
import {
  createIntrospectionJwt,
  type VerifyIntrospectionJwtOptions,
  verifyIntrospectionJwt,
} from '../src/introspection.js'
import type { ClientJwks } from '../src/jwks.js'
import type { SigningKey } from '../src/signing-key.js'
import { expectRule } from './helpers.js'
import { type TestKey, testKey } from './keys.js'

const ISS = 'https://bank.sandbox.test'
const RS_CLIENT = 'bank-api'
const NOW = 1_750_000_000
const ACTIVE = {
  active: true,
  scope: 'accounts',
  client_id: 'c1',
  exp: NOW + 300,
  cnf: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' },
}
let bank: TestKey
let evil: TestKey
let bankKey: SigningKey
let jwks: ClientJwks

beforeAll(async () => {
  ;[bank, evil] = await Promise.all([testKey('ES256', 'bank-1'), testKey('ES256', 'bank-1')])
  bankKey = { key: bank.privateKey, alg: 'ES256', kid: 'bank-1' }
  jwks = { keys: [bank.publicJwk] }
})

function verify(jwt: string, extra: Partial<VerifyIntrospectionJwtOptions> = {}) {
  return verifyIntrospectionJwt({
    jwt,
    issuer: ISS,
    clientId: RS_CLIENT,
    now: NOW,
    keys: jwks,
    ...extra,
  })
}

/** JIR[x]: a valid signed introspection response with changes. */
async function jir(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key = bank,
) {
  const payload: Record<string, unknown> = {
    iss: ISS,
    aud: RS_CLIENT,
    iat: NOW,
    token_introspection: ACTIVE,
    ...claims,
  }
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k]
  return new SignJWT(payload)
    .setProtectedHeader({
      alg: 'ES256',
      kid: key.publicJwk.kid,
      typ: 'token-introspection+jwt',
      ...header,
    })
    .sign(key.privateKey)
}

test('signs token_introspection with typ token-introspection+jwt, and the RS reads it (MS-JIR-02)', async () => {
  const jwt = await createIntrospectionJwt({
    issuer: ISS,
    clientId: RS_CLIENT,
    now: NOW,
    key: bankKey,
    introspection: ACTIVE,
  })
  expect(decodeProtectedHeader(jwt)).toEqual({
    alg: 'ES256',
    kid: 'bank-1',
    typ: 'token-introspection+jwt',
  })
  expect(decodeJwt(jwt)).toEqual({
    iss: ISS,
    aud: RS_CLIENT,
    iat: NOW,
    token_introspection: ACTIVE,
  })
  expect(await verify(jwt, { now: NOW + 60 })).toEqual(ACTIVE)
})

test('an inactive token is exactly { active: false } (MS-JIR-03)', async () => {
  const jwt = await createIntrospectionJwt({
    issuer: ISS,
    clientId: RS_CLIENT,
    now: NOW,
    key: bankKey,
    introspection: { active: false },
  })
  expect(await verify(jwt)).toEqual({ active: false })
})

test('bad signature, foreign key, alg none, not a JWT (MS 5.5.2-2)', async () => {
  const good = await jir()
  const [h, p, s] = good.split('.')
  const tampered = `${h}.${p?.slice(0, -2)}${p?.endsWith('AA') ? 'BB' : 'AA'}.${s}`
  const unsigned = new UnsecuredJWT({
    iss: ISS,
    aud: RS_CLIENT,
    token_introspection: ACTIVE,
  }).encode()
  for (const bad of [tampered, await jir({}, {}, evil), unsigned, '{"active":true}']) {
    await expectRule(verify(bad), rules.introspectionJwtSignature)
  }
})

test('plain JWT or another type (RFC 9701 5)', async () => {
  for (const typ of [undefined, 'JWT', 'at+jwt']) {
    await expectRule(verify(await jir({}, { typ })), rules.introspectionJwtTyp)
  }
})

test('wrong iss or aud, missing, old or future iat, no active member (RFC 9701 5)', async () => {
  for (const change of [
    { iss: 'https://evil-as' },
    { aud: 'c1' },
    { iat: undefined },
    { iat: NOW - 61 },
    { iat: NOW + 61 },
    { token_introspection: undefined },
    { token_introspection: { scope: 'accounts' } },
    { token_introspection: [ACTIVE] },
  ]) {
    await expectRule(verify(await jir(change)), rules.introspectionJwtClaims)
  }
})
