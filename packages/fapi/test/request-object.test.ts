import { decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose'
import { beforeAll, expect, test } from 'vitest'
import { rules } from '../src/errors/rules.js'
import { createMemoryJtiStore } from '../src/jti-store.js'
import {
  createRequestObject,
  type VerifyRequestObjectOptions,
  verifyRequestObject,
} from '../src/request-object.js'
import type { SigningKey } from '../src/signing-key.js'
import { expectRule } from './helpers.js'
import { type TestKey, testKey, weakRsaJwk } from './keys.js'

const ISS = 'https://bank.sandbox.test'
const NOW = 1_750_000_000
let c3: TestKey
let c3ps: TestKey
let c2: TestKey
let rs: TestKey
let c3Key: SigningKey

beforeAll(async () => {
  ;[c3, c3ps, c2, rs] = await Promise.all([
    testKey('ES256', 'c3-es'),
    testKey('PS256', 'c3-ps'),
    testKey('ES256', 'c3-es'),
    testKey('RS256', 'c3-rs'),
  ])
  c3Key = { key: c3.privateKey, alg: 'ES256', kid: 'c3-es' }
})

const PARAMS = {
  response_type: 'code',
  redirect_uri: 'https://tpp.sandbox.test/cb3',
  scope: 'openid accounts',
  state: 'S',
  nonce: 'N',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
  response_mode: 'jwt',
}

function options(request: string | undefined, extra: Partial<VerifyRequestObjectOptions> = {}) {
  return {
    request,
    clientId: 'c3',
    formClientId: 'c3',
    issuer: ISS,
    now: NOW,
    getClientJwks: async (id: string) =>
      id === 'c3' ? { keys: [c3.publicJwk, c3ps.publicJwk, rs.publicJwk] } : undefined,
    ...extra,
  }
}

/** RO[x]: the fixture request object of fapi2-requirements.md 4.1 with changes. */
async function ro(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: TestKey = c3,
  alg = 'ES256',
) {
  const payload: Record<string, unknown> = {
    ...PARAMS,
    iss: 'c3',
    client_id: 'c3',
    aud: ISS,
    nbf: NOW,
    exp: NOW + 300,
    jti: crypto.randomUUID(),
    ...claims,
  }
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k]
  return new SignJWT(payload)
    .setProtectedHeader({ alg, kid: key.publicJwk.kid, typ: 'oauth-authz-req+jwt', ...header })
    .sign(key.privateKey)
}

test('createRequestObject output verifies and yields only the authorization parameters', async () => {
  const request = await createRequestObject(PARAMS, {
    clientId: 'c3',
    issuer: ISS,
    key: c3Key,
    now: NOW,
  })
  expect(decodeProtectedHeader(request)).toEqual({
    alg: 'ES256',
    kid: 'c3-es',
    typ: 'oauth-authz-req+jwt',
  })
  expect(await verifyRequestObject(options(request))).toEqual({ ...PARAMS, client_id: 'c3' })
})

test('accepts PS256, an untyped or JWT-typed object, an aud array with the issuer, nbf 8 s ahead', async () => {
  for (const request of [
    await ro({}, {}, c3ps, 'PS256'),
    await ro({}, { typ: undefined }),
    await ro({}, { typ: 'JWT' }),
    await ro({}, { typ: 'application/oauth-authz-req+jwt' }),
    await ro({ aud: [ISS, 'https://junk'] }),
    await ro({ nbf: NOW + 8, iat: NOW + 8 }),
    await ro({ nbf: NOW - 3500, exp: NOW + 60 }),
  ]) {
    expect((await verifyRequestObject(options(request))).scope).toBe('openid accounts')
  }
  expect(await verifyRequestObject(options(await ro(), { formClientId: undefined }))).toBeDefined()
})

test('plain parameters from a message-signing client (MS 5.3.1-1)', async () => {
  await expectRule(verifyRequestObject(options(undefined)), rules.requestObjectRequired)
})

test('bad signature, another client key, not a JWS (MS-JAR-06, RFC 9101 6.2)', async () => {
  const good = await ro()
  const flipped = `${good.slice(0, -4)}${good.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`
  for (const request of [flipped, await ro({}, {}, c2), 'not.a-jws', `${good}.x.y`]) {
    await expectRule(verifyRequestObject(options(request)), rules.requestObjectSignature)
  }
  await expectRule(
    verifyRequestObject(options(good, { getClientJwks: async () => undefined })),
    rules.requestObjectSignature,
  )
})

test('alg none, HS256 and RS256 (MS-JAR-06, SP 5.4.1-1)', async () => {
  const unsigned = new UnsecuredJWT({ ...PARAMS, iss: 'c3', client_id: 'c3', aud: ISS }).encode()
  const hs = await new SignJWT({ ...PARAMS })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new Uint8Array(32))
  for (const request of [unsigned, hs, await ro({}, {}, rs, 'RS256')]) {
    await expectRule(verifyRequestObject(options(request)), rules.requestObjectAlg)
  }
})

test('a client key under 2048 bits (SP 5.4.1-2)', async () => {
  const weak = await weakRsaJwk('c3-ps')
  await expectRule(
    verifyRequestObject(
      options(await ro({}, {}, c3ps, 'PS256'), { getClientJwks: async () => ({ keys: [weak] }) }),
    ),
    rules.requestObjectKeyStrength,
  )
})

test('another explicit type, e.g. a DPoP proof or an access token (RFC 8725 3.11)', async () => {
  for (const typ of ['dpop+jwt', 'at+jwt', 'client-authentication+jwt']) {
    await expectRule(verifyRequestObject(options(await ro({}, { typ }))), rules.requestObjectTyp)
  }
})

test('aud without the issuer (MS 5.3.1-2)', async () => {
  for (const aud of ['https://other', [`${ISS}/`], undefined]) {
    await expectRule(verifyRequestObject(options(await ro({ aud }))), rules.requestObjectAudience)
  }
})

test('no nbf, or nbf more than 60 minutes old (MS 5.3.1-3)', async () => {
  for (const change of [{ nbf: undefined }, { nbf: NOW - 3660, exp: NOW + 60 }, { nbf: 'now' }]) {
    await expectRule(verifyRequestObject(options(await ro(change))), rules.requestObjectNbf)
  }
})

test('nbf or iat beyond the clock skew (SP 5.3.2.1-13)', async () => {
  for (const change of [{ nbf: NOW + 61, exp: NOW + 300 }, { iat: NOW + 61 }, { iat: 'x' }]) {
    await expectRule(
      verifyRequestObject(options(await ro(change))),
      rules.requestObjectIssuedInFuture,
    )
  }
  // With a 10 s tolerance, 11 s ahead is refused.
  await expectRule(
    verifyRequestObject(options(await ro({ nbf: NOW + 11 }), { skewSeconds: 10 })),
    rules.requestObjectIssuedInFuture,
  )
})

test('no exp, exp 3660 s after nbf, expired (MS 5.3.1-4)', async () => {
  for (const change of [{ exp: undefined }, { exp: NOW + 3660 }, { exp: NOW - 10 }]) {
    await expectRule(verifyRequestObject(options(await ro(change))), rules.requestObjectExp)
  }
})

test('request or request_uri claims inside (RFC 9101 4)', async () => {
  for (const change of [{ request_uri: 'urn:ietf:params:oauth:request_uri:x' }, { request: 'x' }]) {
    await expectRule(verifyRequestObject(options(await ro(change))), rules.requestObjectNested)
  }
})

test('client_id or iss of another client, or a form client_id that differs (RFC 9101 6.3)', async () => {
  for (const change of [{ client_id: 'c1' }, { iss: 'c1' }, { client_id: undefined }]) {
    await expectRule(verifyRequestObject(options(await ro(change))), rules.requestObjectClientId)
  }
  await expectRule(
    verifyRequestObject(options(await ro(), { formClientId: 'c1' })),
    rules.requestObjectClientId,
  )
})

test('with a jti store, each request object is accepted once (MS-JAR-12, sandbox policy)', async () => {
  const seenJti = createMemoryJtiStore({ now: () => NOW })
  const request = await ro()
  await verifyRequestObject(options(request, { seenJti }))
  await expectRule(verifyRequestObject(options(request, { seenJti })), rules.requestObjectReplay)
  await expectRule(
    verifyRequestObject(options(await ro({ jti: undefined }), { seenJti })),
    rules.requestObjectReplay,
  )
})

test('createRequestObject refuses lifetimes over 60 minutes and nested requests', async () => {
  const base = { clientId: 'c3', issuer: ISS, key: c3Key, now: NOW }
  await expect(createRequestObject(PARAMS, { ...base, lifetimeSeconds: 3601 })).rejects.toThrow(
    RangeError,
  )
  await expect(createRequestObject({ request_uri: 'x' }, base)).rejects.toThrow(TypeError)
})
