import { rules } from '@sandbox/fapi/errors/rules'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import { REFRESH_TOKEN_REVOKED_REASON } from '../../src/routes/revocation.js'
import { requestRules } from '../../src/rules/request.js'
import { revocationRules } from '../../src/rules/revocation.js'
import { insertGrant, insertRefreshToken, issueTestAccessToken } from '../grant-fixtures.js'
import { buildTestBankOp, dpopBank, type TestBankOp } from '../helpers.js'
import {
  assertionFields,
  contextOf,
  expectOAuthError,
  form,
  pathOf,
  registerClient,
  type TestClient,
} from '../oauth-helpers.js'

let op: TestBankOp
let bank: BankContext
let client: TestClient
let other: TestClient

beforeAll(async () => {
  op = await buildTestBankOp()
  bank = contextOf(op, dpopBank().id)
  client = await registerClient(bank)
  other = await registerClient(bank)
})
afterAll(() => op.close())

async function revoke(token: string, options: { as?: TestClient; hint?: string } = {}) {
  return op.app.inject({
    method: 'POST',
    url: pathOf(bank, '/revoke'),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({
      ...(await assertionFields(options.as ?? client, bank)),
      token,
      token_type_hint: options.hint,
    }),
  })
}

function expectRevoked(res: Awaited<ReturnType<typeof revoke>>) {
  expect(res.statusCode).toBe(200)
  expect(res.body).toBe('')
  expect(res.headers['cache-control']).toBe('no-store')
}

async function introspectionOf(token: string) {
  const res = await op.app.inject({
    method: 'POST',
    url: pathOf(bank, '/introspect'),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ ...(await assertionFields(client, bank)), token }),
  })
  return res.json() as { active: boolean }
}

describe('revoking a refresh token ends its grant (RFC 7009 section 2.1, AS-RT-06)', () => {
  test('the grant, its refresh tokens and its access tokens all end', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token, record } = await insertRefreshToken(bank, grant)
    const sibling = await insertRefreshToken(bank, grant)
    const access = await issueTestAccessToken(bank, grant)
    expectRevoked(await revoke(token, { hint: 'refresh_token' }))
    expect(await bank.store.grants.get(grant.id)).toMatchObject({
      status: 'revoked',
      revokedAt: bank.now(),
      revokedReason: REFRESH_TOKEN_REVOKED_REASON,
    })
    expect((await bank.store.refreshTokens.get(record.tokenHash))?.revokedAt).toBe(bank.now())
    expect((await bank.store.refreshTokens.get(sibling.record.tokenHash))?.revokedAt).toBe(
      bank.now(),
    )
    expect(await introspectionOf(access.token)).toEqual({ active: false })
  })

  test('is idempotent', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token } = await insertRefreshToken(bank, grant)
    expectRevoked(await revoke(token))
    expectRevoked(await revoke(token))
    expect((await bank.store.grants.get(grant.id))?.status).toBe('revoked')
  })

  test.each([
    ['the wrong hint', 'access_token'],
    ['a hint value the bank does not know, ignored', 'id_token'],
  ])('works with %s (RFC 7009 section 2.1)', async (_, hint) => {
    const grant = await insertGrant(bank, client.clientId)
    const { token } = await insertRefreshToken(bank, grant)
    expectRevoked(await revoke(token, { hint }))
    expect((await bank.store.grants.get(grant.id))?.status).toBe('revoked')
  })
})

describe('revoking an access token ends that token only', () => {
  test('its jti is listed until exp, the grant and its refresh token live on', async () => {
    const grant = await insertGrant(bank, client.clientId)
    const refresh = await insertRefreshToken(bank, grant)
    const { token, claims } = await issueTestAccessToken(bank, grant)
    expectRevoked(await revoke(token, { hint: 'refresh_token' }))
    expect(await bank.store.revokedAccessTokens.isRevoked(claims.jti)).toBe(true)
    expect(await introspectionOf(token)).toEqual({ active: false })
    expect((await bank.store.grants.get(grant.id))?.status).toBe('active')
    expect((await introspectionOf(refresh.token)).active).toBe(true)
    expectRevoked(await revoke(token))
  })
})

describe('tokens the bank does not know are answered 200 with no effect (RFC 7009 section 2.2)', () => {
  test.each([
    ['an unknown opaque token', 'x'.repeat(43)],
    ['a malformed token', 'not a token'],
    ['a JWS-looking string', 'a.b.c'],
  ])('%s', async (_, token) => {
    expectRevoked(await revoke(token))
  })
})

describe('revocation rejects', () => {
  test("another client's refresh token, leaving its grant alone (AS-RT-01)", async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token } = await insertRefreshToken(bank, grant)
    expectOAuthError(await revoke(token, { as: other }), {
      rule: revocationRules.otherClientsToken,
    })
    expect((await bank.store.grants.get(grant.id))?.status).toBe('active')
  })

  test("another client's access token (AS-RT-01)", async () => {
    const grant = await insertGrant(bank, client.clientId)
    const { token, claims } = await issueTestAccessToken(bank, grant)
    expectOAuthError(await revoke(token, { as: other }), {
      rule: revocationRules.otherClientsToken,
    })
    expect(await bank.store.revokedAccessTokens.isRevoked(claims.jti)).toBe(false)
  })

  test('a caller without client authentication (AS-CA-08)', async () => {
    const res = await op.app.inject({
      method: 'POST',
      url: pathOf(bank, '/revoke'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ token: 'x', client_id: client.clientId }),
    })
    expectOAuthError(res, { rule: rules.clientAuthRequired })
  })

  test('GET (AS-TOK-12)', async () => {
    const res = await op.app.inject({ method: 'GET', url: pathOf(bank, '/revoke') })
    expectOAuthError(res, { rule: revocationRules.postOnly, headers: { allow: 'POST' } })
  })

  test('a token sent twice (AS-PAR-10)', async () => {
    const res = await op.app.inject({
      method: 'POST',
      url: pathOf(bank, '/revoke'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ ...(await assertionFields(client, bank)), token: ['a', 'b'] }),
    })
    expectOAuthError(res, { rule: requestRules.repeatedParameter })
  })
})
