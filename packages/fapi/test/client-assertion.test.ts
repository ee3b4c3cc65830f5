import { base64url, SignJWT } from 'jose'
import { beforeAll, expect, test } from 'vitest'
import {
  createClientAssertion,
  JWT_BEARER_CLIENT_ASSERTION_TYPE,
  type VerifyClientAssertionOptions,
  verifyClientAssertion,
} from '../src/client-assertion.js'
import { rules } from '../src/errors/rules.js'
import { createMemoryJtiStore } from '../src/jti-store.js'
import { expectRule } from './helpers.js'
import { type TestKey, testKey, weakRsaJwk } from './keys.js'

const ISS = 'https://bank.sandbox.test'
const NOW = 1_750_000_000
let es: TestKey
let ps: TestKey
let ed: TestKey
let other: TestKey
let rs: TestKey
let jtiCounter = 0

beforeAll(async () => {
  ;[es, ps, ed, other, rs] = await Promise.all([
    testKey('ES256', 'es'),
    testKey('PS256', 'ps'),
    testKey('EdDSA', 'ed'),
    testKey('ES256', 'es'),
    testKey('RS256', 'rs'),
  ])
})

function options(
  assertion: string,
  extra: Partial<VerifyClientAssertionOptions> = {},
): VerifyClientAssertionOptions {
  return {
    assertion,
    assertionType: JWT_BEARER_CLIENT_ASSERTION_TYPE,
    issuer: ISS,
    now: NOW,
    getClientJwks: async (id) =>
      id === 'c1' ? { keys: [es.publicJwk, ps.publicJwk, ed.publicJwk, rs.publicJwk] } : undefined,
    seenJti: createMemoryJtiStore({ now: () => NOW }),
    ...extra,
  }
}

/** CA[x]: a valid assertion for c1 with changes. */
async function ca(
  claims: Record<string, unknown> = {},
  key: TestKey = es,
  alg = 'ES256',
  header: Record<string, unknown> = {},
) {
  const payload = {
    iss: 'c1',
    sub: 'c1',
    aud: ISS,
    jti: `j${++jtiCounter}`,
    iat: NOW,
    exp: NOW + 60,
    ...claims,
  }
  for (const [k, v] of Object.entries(payload))
    if (v === undefined) delete payload[k as keyof typeof payload]
  return new SignJWT(payload)
    .setProtectedHeader({ alg, kid: key.publicJwk.kid, ...header })
    .sign(key.privateKey)
}

test('accepts ES256, PS256 and EdDSA assertions made by createClientAssertion', async () => {
  for (const [key, alg] of [
    [es, 'ES256'],
    [ps, 'PS256'],
    [ed, 'EdDSA'],
  ] as const) {
    const assertion = await createClientAssertion({
      clientId: 'c1',
      issuer: ISS,
      key: key.privateKey,
      alg,
      kid: key.publicJwk.kid as string,
      now: NOW,
      jti: `ok-${alg}`,
    })
    expect(await verifyClientAssertion(options(assertion, { clientId: 'c1' }))).toEqual({
      clientId: 'c1',
      jti: `ok-${alg}`,
      exp: NOW + 60,
    })
  }
})

test('no client authentication at all (SP 5.3.2.1-6)', async () => {
  await expectRule(
    verifyClientAssertion({ ...options(''), assertion: undefined, assertionType: undefined }),
    rules.clientAuthRequired,
  )
})

test('wrong client_assertion_type is invalid_request 400 (RFC 7523 2.2)', async () => {
  await expectRule(
    verifyClientAssertion(options(await ca(), { assertionType: 'urn:x' })),
    rules.clientAssertionType,
  )
})

test('missing sub, jti or exp, or iss differing from sub (RFC 7523 3)', async () => {
  for (const change of [
    { sub: undefined },
    { jti: undefined },
    { exp: undefined },
    { iss: 'c2' },
  ]) {
    await expectRule(verifyClientAssertion(options(await ca(change))), rules.clientAssertionClaims)
  }
  await expectRule(verifyClientAssertion(options('not.a-jwt')), rules.clientAssertionClaims)
})

test('aud other than the issuer string is refused (SP 5.3.2.1-8)', async () => {
  for (const aud of [[ISS], `${ISS}/token`, `${ISS}/par`, [ISS, 'https://x']]) {
    await expectRule(
      verifyClientAssertion(options(await ca({ aud }))),
      rules.clientAssertionAudience,
    )
  }
})

test('RS256, HS256 and none are refused (SP 5.4.1-1)', async () => {
  await expectRule(
    verifyClientAssertion(options(await ca({}, rs, 'RS256'))),
    rules.clientAssertionAlg,
  )
  const hs = await new SignJWT({ iss: 'c1', sub: 'c1' })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new Uint8Array(32))
  await expectRule(verifyClientAssertion(options(hs)), rules.clientAssertionAlg)
  const enc = (o: object) => base64url.encode(JSON.stringify(o))
  const none = `${enc({ alg: 'none' })}.${enc({ iss: 'c1', sub: 'c1', aud: ISS, exp: NOW + 60, jti: 'n' })}.`
  await expectRule(verifyClientAssertion(options(none)), rules.clientAssertionAlg)
})

test('an expired assertion is refused (RFC 7523 3)', async () => {
  await expectRule(
    verifyClientAssertion(options(await ca({ iat: NOW - 360, exp: NOW - 300 }))),
    rules.clientAssertionExpired,
  )
})

test('an assertion living over 300 s is refused (sandbox policy)', async () => {
  await expectRule(
    verifyClientAssertion(options(await ca({ exp: NOW + 301 }))),
    rules.clientAssertionLifetime,
  )
})

test('iat/nbf 8 s ahead pass, 61 s ahead fail (SP 5.3.2.1-13)', async () => {
  await verifyClientAssertion(options(await ca({ iat: NOW + 8, nbf: NOW + 8 })))
  await expectRule(
    verifyClientAssertion(options(await ca({ iat: NOW + 61, nbf: NOW + 61, exp: NOW + 120 }))),
    rules.clientAssertionIssuedInFuture,
  )
})

test('the same assertion twice is refused (RFC 7523 3)', async () => {
  const assertion = await ca()
  const opts = options(assertion)
  await verifyClientAssertion(opts)
  await expectRule(verifyClientAssertion(opts), rules.clientAssertionReplay)
})

test('an assertion signed with another key or for an unknown client is refused (OIDC Core 9)', async () => {
  await expectRule(verifyClientAssertion(options(await ca({}, other))), rules.clientAssertionKey)
  await expectRule(
    verifyClientAssertion(options(await ca({ iss: 'c9', sub: 'c9' }))),
    rules.clientAssertionKey,
  )
})

test('client_id must equal the assertion issuer (RFC 7523 3)', async () => {
  await expectRule(
    verifyClientAssertion(options(await ca(), { clientId: 'c2' })),
    rules.clientIdMismatch,
  )
})

test('a weak registered key is refused (SP 5.4.1-2)', async () => {
  const weak = await weakRsaJwk('ps')
  const assertion = await ca({}, ps, 'PS256')
  await expectRule(
    verifyClientAssertion(options(assertion, { getClientJwks: async () => ({ keys: [weak] }) })),
    rules.clientKeyStrength,
  )
})

test('a JWT of another type is refused (RFC 8725 3.11)', async () => {
  await expectRule(
    verifyClientAssertion(options(await ca({}, es, 'ES256', { typ: 'dpop+jwt' }))),
    rules.clientAssertionTyp,
  )
})
