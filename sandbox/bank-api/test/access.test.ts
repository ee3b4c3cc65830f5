/**
 * Access control on every request (FAPI 2.0 SP 5.3.4; RFC 6750; RFC 9449 section 7; RFC 8705
 * section 3): one test per rejection, asserting status, error code and challenge.
 */
import { randomUUID } from 'node:crypto'
import { cite } from '@sandbox/fapi/errors/describe'
import type { Rule } from '@sandbox/fapi/errors/oauth-error'
import { rules } from '@sandbox/fapi/errors/rules'
import type { LightMyRequestResponse } from 'fastify'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { apiRules } from '../src/rules.js'
import {
  API_BASE_URL,
  buildTestApi,
  call,
  DPOP_BANK,
  type HolderKey,
  holderKey,
  insertGrant,
  issueToken,
  MTLS_BANK,
  NONCE_BANK,
  proofFor,
  type TestApi,
} from './fixtures.js'

let api: TestApi
let holder: HolderKey
const ACCOUNTS_PATH = '/accounts'

const listDetails = (accounts: string[]) => [
  { type: 'account_information', actions: ['list_accounts'], accounts },
]

async function firstAccountOf(bankId: string, customerId: string): Promise<string> {
  const [account] = await api.bankOf(bankId).store.accounts.listForCustomer(customerId)
  if (account === undefined) throw new Error('no account')
  return account.id
}

async function dpopToken(bankId = DPOP_BANK, key = holder) {
  const customerId = await api.customerOf(bankId, 'alice')
  const grant = await insertGrant(
    api,
    bankId,
    customerId,
    listDetails([await firstAccountOf(bankId, customerId)]),
  )
  return { grant, token: await issueToken(api, bankId, { grant, holder: key }) }
}

/** A refused token: the status, the challenge's scheme and error, and the problem document. */
function expectRefused(
  res: LightMyRequestResponse,
  rule: Rule,
  scheme: 'DPoP' | 'Bearer' = 'DPoP',
) {
  const status = rule.error === 'invalid_request' ? 400 : 401
  expect(res.statusCode).toBe(status)
  const challenge = String(res.headers['www-authenticate'])
  expect(challenge.startsWith(`${scheme} `)).toBe(true)
  expect(challenge).toContain(`error="${rule.error}"`)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  const problem = res.json()
  expect(problem).toMatchObject({ status, rule: rule.id })
  expect(problem.detail).toContain(cite(rule.clause))
}

beforeAll(async () => {
  api = await buildTestApi()
  holder = await holderKey()
}, 120_000)
afterAll(() => api?.close())

describe('the token in the Authorization header only', () => {
  test('no token: 401 with a bare DPoP challenge listing the algorithms (RS-03)', async () => {
    const res = await api.app.inject({ method: 'GET', url: `/${DPOP_BANK}${ACCOUNTS_PATH}` })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('DPoP algs="ES256 PS256 EdDSA"')
    expect(res.json()).toMatchObject({ rule: rules.resourceTokenMissing.id, status: 401 })
    expect(res.json().error).toBeUndefined()
  })

  test('no token at the mTLS bank: a bare Bearer challenge (RS-03)', async () => {
    const res = await api.app.inject({ method: 'GET', url: `/${MTLS_BANK}${ACCOUNTS_PATH}` })
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Bearer')
  })

  test('a token in the query string is refused, never served (RS-01)', async () => {
    const { token } = await dpopToken()
    const res = await api.app.inject({
      method: 'GET',
      url: `/${DPOP_BANK}${ACCOUNTS_PATH}?access_token=${token}`,
    })
    expectRefused(res, rules.resourceTokenOutsideHeader)
  })

  test('a malformed Authorization header is 400 invalid_request (RS-01)', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: `/${DPOP_BANK}${ACCOUNTS_PATH}`,
      headers: { authorization: 'DPoP' },
    })
    expectRefused(res, rules.resourceAuthorizationMalformed)
  })

  test('the scheme is compared case-insensitively (RS-02)', async () => {
    const { token } = await dpopToken()
    for (const scheme of ['dpop', 'DPOP']) {
      const res = await api.app.inject({
        method: 'GET',
        url: `/${DPOP_BANK}${ACCOUNTS_PATH}`,
        headers: {
          authorization: `${scheme} ${token}`,
          dpop: await proofFor(api, DPOP_BANK, holder, { path: ACCOUNTS_PATH, token }),
        },
      })
      expect(res.statusCode).toBe(200)
    }
  })

  test('a DPoP-bound token presented as Bearer is refused (RS-06)', async () => {
    const { token } = await dpopToken()
    const res = await api.app.inject({
      method: 'GET',
      url: `/${DPOP_BANK}${ACCOUNTS_PATH}`,
      headers: { authorization: `Bearer ${token}` },
    })
    expectRefused(res, rules.resourceWrongScheme)
  })

  test('the DPoP scheme without a proof is invalid_dpop_proof (RS-07)', async () => {
    const { token } = await dpopToken()
    const res = await api.app.inject({
      method: 'GET',
      url: `/${DPOP_BANK}${ACCOUNTS_PATH}`,
      headers: { authorization: `DPoP ${token}` },
    })
    expectRefused(res, rules.resourceProofMissing)
  })
})

describe('the proof (RS-08)', () => {
  const send = async (token: string, dpop: string) =>
    api.app.inject({
      method: 'GET',
      url: `/${DPOP_BANK}${ACCOUNTS_PATH}`,
      headers: { authorization: `DPoP ${token}`, dpop },
    })

  test('a proof for another URL is refused (RS-08, AS-SC-05)', async () => {
    const { token } = await dpopToken()
    const res = await send(
      token,
      await proofFor(api, DPOP_BANK, holder, { path: '/payments', token }),
    )
    expectRefused(res, rules.dpopHtu)
  })

  test('a proof for another method is refused (RS-08)', async () => {
    const { token } = await dpopToken()
    const res = await send(
      token,
      await proofFor(api, DPOP_BANK, holder, { method: 'POST', path: ACCOUNTS_PATH, token }),
    )
    expectRefused(res, rules.dpopHtm)
  })

  test('a proof without the token hash, or for another token, is refused (RS-08)', async () => {
    const { token } = await dpopToken()
    const { token: other } = await dpopToken()
    expectRefused(
      await send(token, await proofFor(api, DPOP_BANK, holder, { path: ACCOUNTS_PATH })),
      rules.dpopRequiredMembers,
    )
    expectRefused(
      await send(
        token,
        await proofFor(api, DPOP_BANK, holder, { path: ACCOUNTS_PATH, token: other }),
      ),
      rules.dpopAth,
    )
  })

  test('a replayed proof is refused (RS-08)', async () => {
    const { token } = await dpopToken()
    const proof = await proofFor(api, DPOP_BANK, holder, { path: ACCOUNTS_PATH, token })
    expect((await send(token, proof)).statusCode).toBe(200)
    expectRefused(await send(token, proof), rules.dpopReplay)
  })

  test('a stale proof is refused (RS-08)', async () => {
    const { token } = await dpopToken()
    const now = api.bankOf(DPOP_BANK).now()
    const res = await send(
      token,
      await proofFor(api, DPOP_BANK, holder, { path: ACCOUNTS_PATH, token, now: now - 300 }),
    )
    expectRefused(res, rules.dpopIat)
  })

  test('a proof by a key other than the bound one: invalid_token (RS-08, AS-SC-12)', async () => {
    const { token } = await dpopToken()
    const other = await holderKey()
    const res = await send(
      token,
      await proofFor(api, DPOP_BANK, other, { path: ACCOUNTS_PATH, token }),
    )
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"')
    expect(res.json()).toMatchObject({ rule: rules.dpopKeyBinding.id, error: 'invalid_dpop_proof' })
  })

  test('two DPoP headers are refused (RS-08)', async () => {
    const { token } = await dpopToken()
    const proof = await proofFor(api, DPOP_BANK, holder, { path: ACCOUNTS_PATH, token })
    const res = await api.app.inject({
      method: 'GET',
      url: `/${DPOP_BANK}${ACCOUNTS_PATH}`,
      headers: { authorization: `DPoP ${token}`, dpop: [proof, proof] },
    })
    // inject joins repeated headers into one value (a real connection keeps them apart and
    // gets AS-SC-01: sandbox/launcher/test/flows.test.ts); either way the proof is refused.
    expectRefused(res, rules.dpopWellFormed)
  })
})

describe('nonces at the bank that demands them (RS-10)', () => {
  test('a proof without nonce: 401 use_dpop_nonce with DPoP-Nonce; the retry succeeds', async () => {
    const { token } = await dpopToken(NONCE_BANK)
    const first = await call(api, NONCE_BANK, { path: ACCOUNTS_PATH, token, holder })
    expectRefused(first, rules.dpopNonce)
    const nonce = first.headers['dpop-nonce']
    expect(nonce).toEqual(expect.any(String))
    const retry = await call(api, NONCE_BANK, {
      path: ACCOUNTS_PATH,
      token,
      holder,
      nonce: String(nonce),
    })
    expect(retry.statusCode).toBe(200)
  })
})

describe('the certificate at the mTLS bank (RS-09)', () => {
  async function mtlsToken() {
    const customerId = await api.customerOf(MTLS_BANK, 'alice')
    const grant = await insertGrant(
      api,
      MTLS_BANK,
      customerId,
      listDetails([await firstAccountOf(MTLS_BANK, customerId)]),
    )
    return issueToken(api, MTLS_BANK, { grant, certificateSeed: 1 })
  }

  test('the bound certificate is accepted', async () => {
    const token = await mtlsToken()
    const res = await call(api, MTLS_BANK, { path: ACCOUNTS_PATH, token, certificateSeed: 1 })
    expect(res.statusCode).toBe(200)
  })

  test('no certificate, or another, is invalid_token (RS-09)', async () => {
    const token = await mtlsToken()
    expectRefused(
      await call(api, MTLS_BANK, { path: ACCOUNTS_PATH, token }),
      rules.certificateBinding,
      'Bearer',
    )
    expectRefused(
      await call(api, MTLS_BANK, { path: ACCOUNTS_PATH, token, certificateSeed: 2 }),
      rules.certificateBinding,
      'Bearer',
    )
  })
})

describe('the token itself (RS-04, RS-11)', () => {
  const send = (token: string) => call(api, DPOP_BANK, { path: ACCOUNTS_PATH, token, holder })

  test('a token for another resource server or from another issuer is refused (RS-11)', async () => {
    const { grant } = await dpopToken()
    expectRefused(
      await send(
        await issueToken(api, DPOP_BANK, { grant, holder, audience: 'https://other-rs.test' }),
      ),
      rules.accessTokenAudience,
    )
    expectRefused(
      await send(
        await issueToken(api, DPOP_BANK, { grant, holder, issuer: 'https://evil-as.test' }),
      ),
      rules.accessTokenIssuer,
    )
    // Another bank's token: its audience is the other bank's base URL.
    const other = await dpopToken(NONCE_BANK)
    expectRefused(await send(other.token), rules.accessTokenIssuer)
  })

  test('a tampered token is refused (RS-04)', async () => {
    const { token } = await dpopToken()
    const [header, payload, signature] = token.split('.')
    const claims = { ...decodeJwt(token), scope: 'payments' }
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
    expect(payload).not.toBe(forged.split('.')[1])
    expectRefused(await send(forged), rules.accessTokenSignature)
  })

  test('an expired token is refused (RS-04)', async () => {
    const { token } = await dpopToken()
    api.clock.advance(301)
    try {
      expectRefused(await send(token), rules.accessTokenExpired)
    } finally {
      api.clock.advance(-301)
    }
  })

  test('a revoked token is refused on the next request (RS-04)', async () => {
    const { token } = await dpopToken()
    expect((await send(token)).statusCode).toBe(200)
    const { jti, exp } = decodeJwt(token)
    await api.bankOf(DPOP_BANK).store.revokedAccessTokens.revoke(String(jti), Number(exp))
    expectRefused(await send(token), rules.resourceTokenInvalid)
  })

  test('a token whose grant the customer revoked is refused on the next request (RS-04)', async () => {
    const { token, grant } = await dpopToken()
    expect((await send(token)).statusCode).toBe(200)
    await api
      .bankOf(DPOP_BANK)
      .store.grants.revoke(grant.id, api.bankOf(DPOP_BANK).now(), 'customer')
    const res = await send(token)
    expectRefused(res, rules.resourceTokenInvalid)
    expect(res.json().detail).toContain('its grant is revoked')
  })
})

describe('correlation (RS-15)', () => {
  test('x-fapi-interaction-id is echoed, or a fresh UUID is given; Date is present', async () => {
    const { token } = await dpopToken()
    const sent = randomUUID()
    const echoed = await call(api, DPOP_BANK, {
      path: ACCOUNTS_PATH,
      token,
      holder,
      headers: { 'x-fapi-interaction-id': sent },
    })
    expect(echoed.headers['x-fapi-interaction-id']).toBe(sent)
    expect(echoed.headers.date).toEqual(expect.any(String))
    const fresh = await api.app.inject({ method: 'GET', url: `/${DPOP_BANK}${ACCOUNTS_PATH}` })
    expect(fresh.headers['x-fapi-interaction-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    )
  })

  test('a malformed x-fapi-interaction-id is 400, answered with a fresh one (RS-15)', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: `/${DPOP_BANK}${ACCOUNTS_PATH}`,
      headers: { 'x-fapi-interaction-id': 'not a uuid' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ rule: apiRules.interactionIdMalformed.id })
    expect(res.headers['x-fapi-interaction-id']).not.toBe('not a uuid')
  })

  test('the trace event of a request carries the interaction id and the checks applied', async () => {
    const { token } = await dpopToken()
    const sent = randomUUID()
    await call(api, DPOP_BANK, {
      path: ACCOUNTS_PATH,
      token,
      holder,
      headers: { 'x-fapi-interaction-id': sent },
    })
    const event = api.trace.recent().find((e) => e.interactionId === sent)
    expect(event).toMatchObject({
      service: 'bank-api',
      to: 'bank-api',
      bankId: DPOP_BANK,
      step: 'accounts',
      http: {
        method: 'GET',
        url: expect.stringMatching(`/${DPOP_BANK}/accounts$`),
        status: 200,
      },
    })
    const ruleIds = event?.checks.map((check) => check.ruleId)
    expect(ruleIds).toEqual(expect.arrayContaining(['RS-01', 'RS-11', 'AS-SC-12', 'RS-04']))
    expect(event?.checks.every((check) => check.passed)).toBe(true)
    const jwts = event?.jwts.map((jwt) => [jwt.where, jwt.signature])
    expect(jwts).toEqual([
      ['access token', 'verified'],
      ['DPoP header', 'verified'],
    ])
    expect(event?.http?.headers.authorization).toBe('DPoP [redacted]')
  })
})

describe('tenancy', () => {
  test('an unknown bank is a 404 problem naming the banks there are', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/nobank/accounts' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ rule: apiRules.unknownBank.id })
    expect(res.json().detail).toContain(`${API_BASE_URL}/${DPOP_BANK}`)
  })

  test('problem types resolve to a description of the rule', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/problems/rs-api-03' })
    expect(res.statusCode).toBe(200)
    expect(res.json().rules[0]).toMatchObject({
      status: 422,
      title: apiRules.idempotencyKeyReused.title,
    })
    expect((await api.app.inject({ method: 'GET', url: '/problems/rs-99' })).statusCode).toBe(404)
  })
})
