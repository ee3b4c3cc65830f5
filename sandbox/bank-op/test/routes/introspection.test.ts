import { rules } from '@sandbox/fapi/errors/rules'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import { INTROSPECTION_JWT_MEDIA_TYPE } from '../../src/routes/introspection.js'
import { introspectionRules } from '../../src/rules/introspection.js'
import { requestRules } from '../../src/rules/request.js'
import { insertGrant, insertRefreshToken, issueTestAccessToken } from '../grant-fixtures.js'
import { buildTestBankOp, dpopBank, manualClock, type TestBankOp } from '../helpers.js'
import {
  assertionFields,
  contextOf,
  expectOAuthError,
  form,
  pathOf,
  registerClient,
  type TestClient,
} from '../oauth-helpers.js'

const clock = manualClock()
let op: TestBankOp
let bank: BankContext
let client: TestClient
let other: TestClient

beforeAll(async () => {
  op = await buildTestBankOp({ deps: { now: clock.now } })
  bank = contextOf(op, dpopBank().id)
  client = await registerClient(bank)
  other = await registerClient(bank)
})
afterAll(() => op.close())

async function introspect(
  token: string,
  options: { as?: TestClient; accept?: string; hint?: string } = {},
) {
  return op.app.inject({
    method: 'POST',
    url: pathOf(bank, '/introspect'),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.accept === undefined ? {} : { accept: options.accept }),
    },
    payload: form({
      ...(await assertionFields(options.as ?? client, bank)),
      token,
      token_type_hint: options.hint,
    }),
  })
}

function expectInactive(res: Awaited<ReturnType<typeof introspect>>) {
  expect(res.statusCode).toBe(200)
  expect(res.headers['cache-control']).toBe('no-store')
  expect(res.json()).toEqual({ active: false })
}

describe('introspection of active tokens (RFC 7662 section 2.2)', () => {
  test('an access token: claims, DPoP type and binding, granted details (AS-TOK-08, RAR-08)', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token, claims } = await issueTestAccessToken(bank, grant)
    const res = await introspect(token)
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.json()).toEqual({
      active: true,
      iss: bank.issuer,
      aud: bank.resourceServer,
      client_id: client.clientId,
      sub: grant.customerId,
      scope: grant.scope,
      iat: claims.iat,
      exp: claims.exp,
      jti: claims.jti,
      token_type: 'DPoP',
      cnf: claims.cnf,
      grant_id: grant.id,
      authorization_details: grant.authorizationDetails,
    })
  })

  test('a refresh token, with the wrong hint too (RFC 7662 section 2.1)', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token, record } = await insertRefreshToken(bank, grant)
    const res = await introspect(token, { hint: 'access_token' })
    expect(res.json()).toEqual({
      active: true,
      iss: bank.issuer,
      client_id: client.clientId,
      sub: grant.customerId,
      scope: grant.scope,
      iat: record.createdAt,
      exp: record.expiresAt,
      grant_id: grant.id,
      authorization_details: grant.authorizationDetails,
    })
  })
})

describe('introspection answers only {active:false} for (RFC 7662 section 2.2)', () => {
  test('an expired access token', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token } = await issueTestAccessToken(bank, grant, { lifetimeSeconds: 60 })
    clock.advance(61)
    expectInactive(await introspect(token))
  })

  test('a revoked access token', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token, claims } = await issueTestAccessToken(bank, grant)
    await bank.store.revokedAccessTokens.revoke(claims.jti, claims.exp)
    expectInactive(await introspect(token))
  })

  test('an access token and a refresh token whose grant was revoked (AS-RT-06)', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token } = await issueTestAccessToken(bank, grant)
    const refresh = await insertRefreshToken(bank, grant)
    await bank.store.grants.revoke(grant.id, bank.now(), 'revoked by the user')
    expectInactive(await introspect(token))
    expectInactive(await introspect(refresh.token))
  })

  test('a token of an expired grant', async () => {
    const grant = await insertGrant(bank, client.clientId, { expiresAt: bank.now() + 10 })
    const { token } = await issueTestAccessToken(bank, grant)
    clock.advance(11)
    expectInactive(await introspect(token))
  })

  test('an expired refresh token', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token } = await insertRefreshToken(bank, grant, { expiresAt: bank.now() })
    expectInactive(await introspect(token))
  })

  test("another client's tokens (sandbox policy, MS-JIR-01)", async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token } = await issueTestAccessToken(bank, grant)
    const refresh = await insertRefreshToken(bank, grant)
    expectInactive(await introspect(token, { as: other }))
    expectInactive(await introspect(refresh.token, { as: other }))
  })

  test('an access token for another audience or signed by another key', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token } = await issueTestAccessToken(bank, grant, {
      audience: 'https://elsewhere.test',
    })
    expectInactive(await introspect(token))
    const [header, payload] = (await issueTestAccessToken(bank, grant)).token.split('.')
    expectInactive(await introspect(`${header}.${payload}.AAAA`))
  })

  test.each([
    ['an unknown opaque token', 'x'.repeat(43)],
    ['something that is no token at all', 'not a token'],
    ['a JWS-looking string', 'a.b.c'],
  ])('%s', async (_, token) => {
    expectInactive(await introspect(token))
  })
})

describe('signed introspection responses (RFC 9701, MS-JIR-02, MS-JIR-03)', () => {
  async function verify(body: string, audience: string) {
    return jwtVerify(body, createLocalJWKSet(bank.keys.publicJwks()), {
      issuer: bank.issuer,
      audience,
      typ: 'token-introspection+jwt',
      algorithms: ['ES256', 'PS256'],
    })
  }

  test('an active token, signed with the bank key (MS-JIR-02)', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token } = await issueTestAccessToken(bank, grant)
    const res = await introspect(token, { accept: INTROSPECTION_JWT_MEDIA_TYPE })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe(INTROSPECTION_JWT_MEDIA_TYPE)
    expect(res.headers['cache-control']).toBe('no-store')
    const { payload, protectedHeader } = await verify(res.body, client.clientId)
    expect(protectedHeader.alg).toBe('ES256')
    expect(payload.iat).toBe(bank.now())
    expect(payload.token_introspection).toMatchObject({
      active: true,
      client_id: client.clientId,
      cnf: { jkt: expect.any(String) },
    })
  })

  test('an inactive token is exactly {active:false} inside the JWT (MS-JIR-03)', async () => {
    const res = await introspect('unknown-token', {
      accept: `application/json;q=0.5, ${INTROSPECTION_JWT_MEDIA_TYPE}`,
    })
    const { payload } = await verify(res.body, client.clientId)
    expect(payload.token_introspection).toEqual({ active: false })
  })

  test("the client's introspection_signed_response_alg picks the key (RFC 9701 section 6)", async () => {
    const ps256Client = await registerClient(bank, { introspection_signed_response_alg: 'PS256' })
    const res = await introspect('unknown-token', {
      as: ps256Client,
      accept: INTROSPECTION_JWT_MEDIA_TYPE,
    })
    const { protectedHeader } = await verify(res.body, ps256Client.clientId)
    expect(protectedHeader.alg).toBe('PS256')
  })

  test('JSON when the JWT is not asked for, or refused with q=0', async () => {
    for (const accept of ['application/json', `${INTROSPECTION_JWT_MEDIA_TYPE};q=0`]) {
      const res = await introspect('unknown-token', { accept })
      expect(res.headers['content-type']).toMatch(/^application\/json/)
    }
  })
})

describe('introspection rejects', () => {
  test('a caller without client authentication (MS-JIR-01, AS-CA-08)', async () => {
    const res = await op.app.inject({
      method: 'POST',
      url: pathOf(bank, '/introspect'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ token: 'x', client_id: client.clientId }),
    })
    expectOAuthError(res, { rule: rules.clientAuthRequired })
  })

  test('GET (AS-TOK-12)', async () => {
    const res = await op.app.inject({ method: 'GET', url: pathOf(bank, '/introspect') })
    expectOAuthError(res, { rule: introspectionRules.postOnly, headers: { allow: 'POST' } })
  })

  test('a missing or oversize token (AS-TOK-09)', async () => {
    for (const token of [undefined, 'x'.repeat(9000)]) {
      const res = await op.app.inject({
        method: 'POST',
        url: pathOf(bank, '/introspect'),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ ...(await assertionFields(client, bank)), token }),
      })
      const body = expectOAuthError(res, { rule: requestRules.malformedParameter })
      expect(body.error_description).toContain('token')
    }
  })

  test('a JSON body (AS-TOK-09)', async () => {
    const res = await op.app.inject({
      method: 'POST',
      url: pathOf(bank, '/introspect'),
      headers: { 'content-type': 'application/json' },
      payload: '{"token":"x"}',
    })
    expectOAuthError(res, { rule: requestRules.formEncodedOnly })
  })
})
