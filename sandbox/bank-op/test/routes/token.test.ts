import { rules } from '@sandbox/fapi/errors/rules'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import { requestRules } from '../../src/rules/request.js'
import { tokenRules } from '../../src/rules/token.js'
import {
  buildTestBankOp,
  dpopBank,
  manualClock,
  RESOURCE_BASE_URL,
  type TestBankOp,
} from '../helpers.js'
import {
  clientAssertion,
  contextOf,
  type DpopKey,
  expectOAuthError,
  form,
  generateEs256,
  registerClient,
  type TestClient,
} from '../oauth-helpers.js'
import {
  ACCOUNT_DETAILS,
  codeExchangeFields,
  PAYMENT_DETAILS,
  requestToken,
  seedCode,
  thumbprintOf,
} from '../token-fixtures.js'

const clock = manualClock()
let op: TestBankOp
let bank: BankContext
let client: TestClient
let key: DpopKey

beforeAll(async () => {
  op = await buildTestBankOp({ deps: { now: clock.now } })
  bank = contextOf(op, dpopBank().id)
  client = await registerClient(bank)
  key = await generateEs256()
})
afterAll(() => op.close())

async function exchange(
  code: string,
  change: Record<string, string | undefined> = {},
  dpopKey = key,
) {
  return requestToken(
    op,
    bank,
    { ...(await codeExchangeFields(bank, client, code)), ...change },
    { dpopKey },
  )
}

async function refresh(
  refreshToken: string,
  change: Record<string, string | undefined> = {},
  dpopKey = key,
) {
  return requestToken(
    op,
    bank,
    {
      ...(await clientFields()),
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...change,
    },
    { dpopKey },
  )
}

async function clientFields(who = client) {
  return {
    client_id: who.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await clientAssertion(who, bank),
  }
}

/** A code exchanged successfully: the response body. */
async function tokensFor(options: Parameters<typeof seedCode>[2] = {}) {
  const { code, grant } = await seedCode(bank, client, options)
  const res = await exchange(code)
  expect(res.statusCode).toBe(200)
  return { body: res.json(), grant, code }
}

describe('the code exchange issues DPoP-bound tokens (AS-TOK-01)', () => {
  test('200, no-store, DPoP token type, scope, details, refresh token, grant_id (AS-TOK-01, AS-TOK-10, RAR-06, RAR-11)', async () => {
    const { code, grant } = await seedCode(bank, client, { dpopKey: key })
    const res = await exchange(code)
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    const body = res.json()
    expect(body).toMatchObject({
      token_type: 'DPoP',
      expires_in: bank.bank.profile.accessTokenLifetimeSeconds,
      scope: 'openid accounts',
      authorization_details: ACCOUNT_DETAILS,
      grant_id: grant.id,
    })
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  test('the access token is an RFC 9068 JWT bound to the proof key (AS-TOK-08, AS-ALG-01, AS-ALG-04)', async () => {
    const { body, grant } = await tokensFor()
    const header = decodeProtectedHeader(body.access_token)
    expect(header).toMatchObject({ typ: 'at+jwt', alg: 'ES256' })
    expect(bank.keys.publicJwks().keys.map((k) => k.kid)).toContain(header.kid)
    const claims = decodeJwt(body.access_token)
    expect(claims).toMatchObject({
      iss: bank.issuer,
      aud: `${RESOURCE_BASE_URL}/${bank.bank.id}`,
      sub: 'cust-1',
      client_id: client.clientId,
      scope: 'openid accounts',
      authorization_details: ACCOUNT_DETAILS,
      grant_id: grant.id,
      cnf: { jkt: await thumbprintOf(key.publicJwk) },
    })
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(bank.bank.profile.accessTokenLifetimeSeconds)
    expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  test('a code is redeemable 50 s after issue (AS-CODE-01)', async () => {
    const { code } = await seedCode(bank, client)
    clock.advance(50)
    expect((await exchange(code)).statusCode).toBe(200)
  })

  test('a payment grant gets no refresh token (AS-RT-07)', async () => {
    const { body } = await tokensFor({
      grant: { scope: 'payments', authorizationDetails: PAYMENT_DETAILS },
    })
    expect(body.refresh_token).toBeUndefined()
    expect(body.authorization_details).toEqual(PAYMENT_DETAILS)
  })

  test('a narrower authorization_details is granted as asked (RAR-07)', async () => {
    const { code } = await seedCode(bank, client)
    const narrower = [{ type: 'account_information', actions: ['read_balances'] }]
    const res = await exchange(code, { authorization_details: JSON.stringify(narrower) })
    expect(res.statusCode).toBe(200)
    expect(res.json().authorization_details).toEqual([
      { type: 'account_information', actions: ['read_balances'], accounts: ['acc-1'] },
    ])
  })

  test('unknown parameters are ignored (RFC 6749 section 3.2)', async () => {
    const { code } = await seedCode(bank, client)
    expect((await exchange(code, { unknown_parameter: 'x' })).statusCode).toBe(200)
  })
})

describe('the ID token (AS-TOK-11, OIDC Core section 3.1.3.7)', () => {
  test('iss, sub, aud, exp, iat, auth_time, acr and the nonce exactly as pushed, signed ES256 with a published kid', async () => {
    const nonce = `n-${'x'.repeat(300)}`
    const { body } = await tokensFor({ code: { nonce } })
    const header = decodeProtectedHeader(body.id_token)
    expect(header.alg).toBe('ES256')
    expect(bank.keys.publicJwks().keys.map((k) => k.kid)).toContain(header.kid)
    const claims = decodeJwt(body.id_token)
    expect(claims).toMatchObject({
      iss: bank.issuer,
      sub: 'cust-1',
      aud: client.clientId,
      nonce,
      auth_time: bank.now() - 5,
      acr: 'urn:sandbox:acr:otp',
      iat: bank.now(),
    })
    expect(claims.exp).toBeGreaterThan(bank.now())
  })

  test('no nonce claim when none was sent', async () => {
    const { body } = await tokensFor({ code: { nonce: undefined } })
    expect(decodeJwt(body.id_token)).not.toHaveProperty('nonce')
  })

  test('no ID token without openid', async () => {
    const { body } = await tokensFor({ grant: { scope: 'accounts' } })
    expect(body.id_token).toBeUndefined()
  })

  test('the client registered id_token_signed_response_alg PS256', async () => {
    const ps256 = await registerClient(bank, { id_token_signed_response_alg: 'PS256' })
    const { code } = await seedCode(bank, ps256)
    const res = await requestToken(op, bank, await codeExchangeFields(bank, ps256, code), {
      dpopKey: key,
    })
    expect(decodeProtectedHeader(res.json().id_token).alg).toBe('PS256')
  })
})

describe('the code exchange refuses, one rule at a time', () => {
  test('a code 61 s old (AS-CODE-01)', async () => {
    const { code } = await seedCode(bank, client)
    clock.advance(61)
    expectOAuthError(await exchange(code), { rule: tokenRules.codeUnknown })
  })

  test('an unknown code (AS-CODE-01)', async () => {
    expectOAuthError(await exchange('no-such-code'), { rule: tokenRules.codeUnknown })
  })

  test('a replayed code revokes the grant, its access and refresh tokens (AS-CODE-02)', async () => {
    const { body, code, grant } = await tokensFor()
    clock.advance(1)
    expectOAuthError(await exchange(code), { rule: tokenRules.codeReplayed })
    expect((await bank.store.grants.get(grant.id))?.status).toBe('revoked')
    expectOAuthError(await refresh(body.refresh_token), { rule: tokenRules.refreshTokenUnknown })
  })

  test('a code of another client (AS-TOK-04)', async () => {
    const other = await registerClient(bank)
    const { code } = await seedCode(bank, other)
    expectOAuthError(await exchange(code), { rule: tokenRules.codeClientMismatch })
  })

  test('redirect_uri missing (AS-RU-03)', async () => {
    const { code } = await seedCode(bank, client)
    expectOAuthError(await exchange(code, { redirect_uri: undefined }), {
      rule: tokenRules.redirectUriRequired,
    })
  })

  test('redirect_uri other than the authorization request one (AS-RU-03)', async () => {
    const { code } = await seedCode(bank, client)
    expectOAuthError(await exchange(code, { redirect_uri: 'https://tpp.sandbox.test/other' }), {
      rule: tokenRules.redirectUriMismatch,
    })
  })

  test.each([
    ['missing', undefined],
    ['wrong', 'x'.repeat(43)],
  ])('code_verifier %s (AS-TOK-03)', async (_name, verifier) => {
    const { code } = await seedCode(bank, client)
    expectOAuthError(await exchange(code, { code_verifier: verifier }), {
      rule: rules.pkceVerifier,
    })
  })

  test('a proof by another key than the code is bound to (AS-TOK-05)', async () => {
    const { code } = await seedCode(bank, client, { dpopKey: await generateEs256() })
    expectOAuthError(await exchange(code), { rule: tokenRules.codeDpopKeyMismatch })
  })

  test('a grant revoked before the exchange (AS-RT-06)', async () => {
    const { code, grant } = await seedCode(bank, client)
    await bank.store.grants.revoke(grant.id, bank.now(), 'test')
    expectOAuthError(await exchange(code), { rule: tokenRules.grantInactive })
  })

  test('authorization_details wider than granted (RAR-07)', async () => {
    const { code } = await seedCode(bank, client)
    const wider = [{ type: 'account_information', actions: ['read_transactions'] }]
    expectOAuthError(await exchange(code, { authorization_details: JSON.stringify(wider) }), {
      rule: tokenRules.authorizationDetailsWidened,
    })
  })

  test('no DPoP proof (AS-TOK-02); the code stays redeemable', async () => {
    const { code } = await seedCode(bank, client)
    const res = await requestToken(op, bank, await codeExchangeFields(bank, client, code))
    expectOAuthError(res, { rule: requestRules.dpopProofRequired })
    expect((await exchange(code)).statusCode).toBe(200)
  })

  test('a malformed DPoP proof (AS-TOK-06, AS-SC-02)', async () => {
    const { code } = await seedCode(bank, client)
    const res = await requestToken(op, bank, await codeExchangeFields(bank, client, code), {
      headers: { dpop: 'not.a.jwt' },
    })
    expectOAuthError(res, { rule: rules.dpopWellFormed })
  })

  test('no client authentication (AS-CA-08)', async () => {
    const { code } = await seedCode(bank, client)
    const res = await exchange(code, {
      client_assertion: undefined,
      client_assertion_type: undefined,
    })
    expectOAuthError(res, { rule: rules.clientAuthRequired })
  })

  test('a client assertion replayed at the token endpoint (AS-CA-07)', async () => {
    const fields = await clientFields()
    const first = await requestToken(
      op,
      bank,
      { ...fields, grant_type: 'client_credentials' },
      { dpopKey: key },
    )
    expect(first.statusCode).toBe(200)
    const second = await requestToken(
      op,
      bank,
      { ...fields, grant_type: 'client_credentials' },
      { dpopKey: key },
    )
    expectOAuthError(second, { rule: rules.clientAssertionReplay })
  })
})

describe('grant types (AS-RTY-02, AS-RTY-03)', () => {
  test.each(['password', 'implicit', 'urn:ietf:params:oauth:grant-type:device_code'])(
    'grant_type=%s is unsupported (AS-RTY-02)',
    async (grantType) => {
      const res = await requestToken(
        op,
        bank,
        { ...(await clientFields()), grant_type: grantType, username: 'u', password: 'p' },
        { dpopKey: key },
      )
      expectOAuthError(res, { rule: tokenRules.unsupportedGrantType })
    },
  )

  test('grant_type missing is a malformed request (RFC 6749 section 5.2)', async () => {
    const res = await requestToken(op, bank, await clientFields(), { dpopKey: key })
    expectOAuthError(res, { rule: requestRules.malformedParameter })
  })

  test('a grant type the client did not register (AS-RTY-03)', async () => {
    const codeOnly = await registerClient(bank, { grant_types: ['authorization_code'] })
    const res = await requestToken(
      op,
      bank,
      { ...(await clientFields(codeOnly)), grant_type: 'client_credentials' },
      { dpopKey: key },
    )
    expectOAuthError(res, { rule: tokenRules.grantTypeNotRegistered })
  })
})

describe('refresh tokens (AS-RT)', () => {
  test('refresh is not rotated: no new refresh token, and the same one works 30 s later (AS-RT-03, RAR-10)', async () => {
    const { body } = await tokensFor()
    const first = await refresh(body.refresh_token)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({
      token_type: 'DPoP',
      authorization_details: ACCOUNT_DETAILS,
    })
    expect(first.json().refresh_token).toBeUndefined()
    expect(first.json().id_token).toBeUndefined()
    clock.advance(30)
    expect((await refresh(body.refresh_token)).statusCode).toBe(200)
  })

  test('a narrower scope is granted as asked (AS-RT-05)', async () => {
    const { body } = await tokensFor()
    const res = await refresh(body.refresh_token, { scope: 'accounts' })
    expect(res.statusCode).toBe(200)
    expect(res.json().scope).toBe('accounts')
  })

  test('a wider scope (AS-RT-05)', async () => {
    const { body } = await tokensFor()
    expectOAuthError(await refresh(body.refresh_token, { scope: 'openid payments' }), {
      rule: tokenRules.scopeWidened,
    })
  })

  test('wider authorization_details at refresh (RAR-10)', async () => {
    const { body } = await tokensFor()
    const wider = JSON.stringify(PAYMENT_DETAILS)
    expectOAuthError(await refresh(body.refresh_token, { authorization_details: wider }), {
      rule: tokenRules.authorizationDetailsWidened,
    })
  })

  test('another DPoP key (AS-RT-02)', async () => {
    const { body } = await tokensFor()
    expectOAuthError(await refresh(body.refresh_token, {}, await generateEs256()), {
      rule: tokenRules.refreshTokenBinding,
    })
  })

  test('another client (AS-RT-01)', async () => {
    const { body } = await tokensFor()
    const other = await registerClient(bank)
    const res = await requestToken(
      op,
      bank,
      {
        ...(await clientFields(other)),
        grant_type: 'refresh_token',
        refresh_token: body.refresh_token,
      },
      { dpopKey: key },
    )
    expectOAuthError(res, { rule: tokenRules.refreshTokenClientMismatch })
  })

  test('without client authentication (AS-RT-01, AS-CA-08)', async () => {
    const { body } = await tokensFor()
    const res = await refresh(body.refresh_token, {
      client_assertion: undefined,
      client_assertion_type: undefined,
    })
    expectOAuthError(res, { rule: rules.clientAuthRequired })
  })

  test('without a DPoP proof (AS-RT-02, AS-TOK-02)', async () => {
    const { body } = await tokensFor()
    const res = await requestToken(op, bank, {
      ...(await clientFields()),
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token,
    })
    expectOAuthError(res, { rule: requestRules.dpopProofRequired })
  })

  test('after the grant is revoked (AS-RT-06)', async () => {
    const { body, grant } = await tokensFor()
    await bank.store.grants.revoke(grant.id, bank.now(), 'test')
    expectOAuthError(await refresh(body.refresh_token), { rule: tokenRules.refreshTokenUnknown })
  })

  test('after the grant has expired (AS-RT-06)', async () => {
    const { body } = await tokensFor({ grant: { expiresAt: bank.now() + 120 } })
    clock.advance(121)
    expectOAuthError(await refresh(body.refresh_token), { rule: tokenRules.refreshTokenUnknown })
  })

  test('an unknown refresh token (AS-RT-06)', async () => {
    expectOAuthError(await refresh('A'.repeat(43)), { rule: tokenRules.refreshTokenUnknown })
  })
})

describe('client credentials (AS-TOK-13)', () => {
  test('a DPoP-bound token for the client itself, no refresh token, no grant', async () => {
    const res = await requestToken(
      op,
      bank,
      { ...(await clientFields()), grant_type: 'client_credentials', scope: 'payments' },
      { dpopKey: key },
    )
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    const body = res.json()
    expect(body).toMatchObject({ token_type: 'DPoP', scope: 'payments' })
    expect(body.refresh_token).toBeUndefined()
    expect(body.grant_id).toBeUndefined()
    expect(decodeJwt(body.access_token)).toMatchObject({
      sub: client.clientId,
      client_id: client.clientId,
      cnf: { jkt: await thumbprintOf(key.publicJwk) },
    })
  })

  test('a scope beyond payments (AS-TOK-13)', async () => {
    const res = await requestToken(
      op,
      bank,
      { ...(await clientFields()), grant_type: 'client_credentials', scope: 'accounts' },
      { dpopKey: key },
    )
    expectOAuthError(res, { rule: tokenRules.clientCredentialsScope })
  })

  test('authorization_details (AS-TOK-13)', async () => {
    const res = await requestToken(
      op,
      bank,
      {
        ...(await clientFields()),
        grant_type: 'client_credentials',
        authorization_details: JSON.stringify(PAYMENT_DETAILS),
      },
      { dpopKey: key },
    )
    expectOAuthError(res, { rule: tokenRules.clientCredentialsDetails })
  })
})

describe('the request itself (AS-TOK-09, AS-TOK-12)', () => {
  test('GET (AS-TOK-12)', async () => {
    const res = await op.app.inject({ method: 'GET', url: `/${bank.bank.id}/token?grant_type=x` })
    expectOAuthError(res, { rule: requestRules.postOnly, headers: { allow: 'POST' } })
  })

  test('a JSON body (AS-TOK-09)', async () => {
    const res = await op.app.inject({
      method: 'POST',
      url: `/${bank.bank.id}/token`,
      headers: { 'content-type': 'application/json' },
      payload: '{"grant_type":"client_credentials"}',
    })
    expectOAuthError(res, { rule: requestRules.formEncodedOnly })
  })

  test.each([
    ['bad percent-encoding', 'grant_type=client_credentials&scope=%E0%A4%A&code=%'],
    ['an empty body', ''],
    ['a body of separators', '&&&=&='],
  ])('%s is an RFC 6749 error, never a 500 (AS-TOK-09)', async (_name, payload) => {
    const res = await op.app.inject({
      method: 'POST',
      url: `/${bank.bank.id}/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    })
    expect([400, 401]).toContain(res.statusCode)
    expect(res.json().error).toMatch(/^(invalid_request|invalid_client)$/)
    expect(res.headers['cache-control']).toBe('no-store')
  })

  test('a body over 64 KiB (AS-PAR-16)', async () => {
    const res = await op.app.inject({
      method: 'POST',
      url: `/${bank.bank.id}/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ grant_type: 'client_credentials', scope: 'x'.repeat(70_000) }),
    })
    expectOAuthError(res, { rule: requestRules.bodyTooLarge })
  })
})
