import { cite } from '@sandbox/fapi/errors/describe'
import type { Rule } from '@sandbox/fapi/errors/oauth-error'
import { rules } from '@sandbox/fapi/errors/rules'
import type { PeerCertificate } from '@sandbox/service-kit/peer-certificate'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import { userinfoRules } from '../../src/rules/userinfo.js'
import {
  buildTestBankOp,
  dpopBank,
  manualClock,
  messageSigningBank,
  mtlsBank,
  type TestBankOp,
} from '../helpers.js'
import {
  contextOf,
  type DpopKey,
  dpopProof,
  generateEs256,
  registerClient,
  type TestClient,
} from '../oauth-helpers.js'
import {
  clientAuthFields,
  codeExchangeFields,
  requestToken,
  seedCode,
  testCertificate,
} from '../token-fixtures.js'

const DPOP_ALGS = 'algs="ES256 PS256 EdDSA"'

/**
 * A resource-server rejection: status, the challenge's scheme and error, no-store; given a rule,
 * its status and error, and its clause cited in the challenge's error_description.
 */
function expectChallenge(
  res: LightMyRequestResponse,
  expected: { scheme: 'DPoP' | 'Bearer' } & ({ rule: Rule } | { status: number; error?: string }),
) {
  const challenge = String(res.headers['www-authenticate'])
  if ('rule' in expected) {
    // DPoP rules carry the AS status; at a resource every refused credential is 401 (RFC 9449 7.1).
    const { rule } = expected
    expect(res.statusCode).toBe(rule.error === 'invalid_dpop_proof' ? 401 : rule.status)
    if (expected.rule === rules.resourceTokenMissing) expect(challenge).not.toContain('error=')
    else {
      expect(challenge).toContain(`error="${expected.rule.error}"`)
      expect(challenge).toContain(`(${cite(expected.rule.clause)})`)
    }
  } else {
    expect(res.statusCode).toBe(expected.status)
    if (expected.error === undefined) expect(challenge).not.toContain('error=')
    else expect(challenge).toContain(`error="${expected.error}"`)
  }
  expect(challenge.startsWith(expected.scheme)).toBe(true)
  if (expected.scheme === 'DPoP') expect(challenge).toContain(DPOP_ALGS)
  expect(res.headers['cache-control']).toBe('no-store')
}

describe('userinfo at a DPoP bank (OIDC Core section 5.3)', () => {
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

  async function tokens(scope = 'openid accounts') {
    const { code, grant } = await seedCode(bank, client, { grant: { scope } })
    const res = await requestToken(op, bank, await codeExchangeFields(bank, client, code), {
      dpopKey: key,
    })
    expect(res.statusCode).toBe(200)
    return { ...res.json(), grant, code }
  }

  async function userinfo(
    accessToken: string | undefined,
    options: {
      scheme?: string
      proofKey?: DpopKey | null
      method?: 'GET' | 'POST'
      url?: string
    } = {},
  ) {
    const method = options.method ?? 'GET'
    const proofKey = options.proofKey === undefined ? key : options.proofKey
    const headers: Record<string, string> = {}
    if (accessToken !== undefined)
      headers.authorization = `${options.scheme ?? 'DPoP'} ${accessToken}`
    if (proofKey !== null && accessToken !== undefined) {
      headers.dpop = await dpopProof(proofKey, bank, {
        htm: method,
        url: `${bank.issuer}/userinfo`,
        accessToken,
      })
    }
    return op.app.inject({ method, url: options.url ?? `/${bank.bank.id}/userinfo`, headers })
  }

  test('answers the customer claims for a DPoP token with its proof, GET and POST', async () => {
    const { access_token } = await tokens()
    const res = await userinfo(access_token)
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.json()).toEqual({
      sub: 'cust-1',
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      email: 'cust-1@example.test',
    })
    expect((await userinfo(access_token, { method: 'POST' })).statusCode).toBe(200)
    expect((await userinfo(access_token, { scheme: 'dpop' })).statusCode).toBe(200)
  })

  test('no token: a bare DPoP challenge (RS-03)', async () => {
    const res = await userinfo(undefined)
    expectChallenge(res, { rule: rules.resourceTokenMissing, scheme: 'DPoP' })
    expect(res.body).toBe('')
  })

  test('the token in the query (RS-01)', async () => {
    const { access_token } = await tokens()
    const res = await userinfo(access_token, {
      url: `/${bank.bank.id}/userinfo?access_token=${access_token}`,
    })
    expectChallenge(res, { rule: rules.resourceTokenOutsideHeader, scheme: 'DPoP' })
  })

  test('a malformed Authorization header (RS-01)', async () => {
    const res = await op.app.inject({
      method: 'GET',
      url: `/${bank.bank.id}/userinfo`,
      headers: { authorization: 'DPoP' },
    })
    expectChallenge(res, { rule: rules.resourceAuthorizationMalformed, scheme: 'DPoP' })
  })

  test('a DPoP-bound token as Bearer (RS-06)', async () => {
    const { access_token } = await tokens()
    const res = await userinfo(access_token, { scheme: 'Bearer', proofKey: null })
    expectChallenge(res, { rule: rules.resourceWrongScheme, scheme: 'DPoP' })
  })

  test('the DPoP scheme without a proof (RS-07)', async () => {
    const { access_token } = await tokens()
    const res = await userinfo(access_token, { proofKey: null })
    expectChallenge(res, { rule: rules.resourceProofMissing, scheme: 'DPoP' })
  })

  test('a proof by another key (AS-SC-12)', async () => {
    const { access_token } = await tokens()
    const res = await userinfo(access_token, { proofKey: await generateEs256() })
    expectChallenge(res, { status: 401, scheme: 'DPoP', error: 'invalid_token' })
  })

  test('a tampered token (RS-04)', async () => {
    const { access_token } = await tokens()
    const res = await userinfo(`${access_token.slice(0, -4)}AAAA`)
    expectChallenge(res, { status: 401, scheme: 'DPoP', error: 'invalid_token' })
  })

  test('an expired token (RS-04)', async () => {
    const { access_token } = await tokens()
    clock.advance(bank.bank.profile.accessTokenLifetimeSeconds + 1)
    const res = await userinfo(access_token)
    expectChallenge(res, { status: 401, scheme: 'DPoP', error: 'invalid_token' })
  })

  test('a token whose grant was revoked, e.g. by a code replay (RS-04, AS-CODE-02)', async () => {
    const { access_token, code } = await tokens()
    const replay = await requestToken(op, bank, await codeExchangeFields(bank, client, code), {
      dpopKey: key,
    })
    expect(replay.statusCode).toBe(400)
    const res = await userinfo(access_token)
    expectChallenge(res, { rule: rules.resourceTokenInvalid, scheme: 'DPoP' })
  })

  test('a revoked token (RS-04)', async () => {
    const { access_token } = await tokens()
    const jti = JSON.parse(Buffer.from(access_token.split('.')[1], 'base64url').toString()).jti
    await bank.store.revokedAccessTokens.revoke(jti, bank.now() + 600)
    expectChallenge(await userinfo(access_token), {
      status: 401,
      scheme: 'DPoP',
      error: 'invalid_token',
    })
  })

  test('a token without openid (RS-05)', async () => {
    const { access_token } = await tokens('accounts')
    expectChallenge(await userinfo(access_token), {
      rule: userinfoRules.openidRequired,
      scheme: 'DPoP',
    })
  })

  test('a client credentials token (RS-05)', async () => {
    const res = await requestToken(
      op,
      bank,
      { ...(await clientAuthFields(bank, client)), grant_type: 'client_credentials' },
      { dpopKey: key },
    )
    expectChallenge(await userinfo(res.json().access_token), {
      status: 403,
      scheme: 'DPoP',
      error: 'insufficient_scope',
    })
  })
})

describe('userinfo at the nonce bank (RS-10)', () => {
  let op: TestBankOp
  let bank: BankContext
  let key: DpopKey

  beforeAll(async () => {
    op = await buildTestBankOp()
    bank = contextOf(op, messageSigningBank().id)
    key = await generateEs256()
  })
  afterAll(() => op.close())

  test('a proof without nonce: 401 use_dpop_nonce with DPoP-Nonce, the retry succeeds', async () => {
    const client = await registerClient(bank)
    const { code } = await seedCode(bank, client)
    const fields = await codeExchangeFields(bank, client, code)
    const challenge = await requestToken(op, bank, fields, { dpopKey: key })
    const nonce = String(challenge.headers['dpop-nonce'])
    const tokens = await requestToken(op, bank, await codeExchangeFields(bank, client, code), {
      dpopKey: key,
      nonce,
    })
    const accessToken = tokens.json().access_token
    const call = async (withNonce?: string) =>
      op.app.inject({
        method: 'GET',
        url: `/${bank.bank.id}/userinfo`,
        headers: {
          authorization: `DPoP ${accessToken}`,
          dpop: await dpopProof(key, bank, {
            htm: 'GET',
            url: `${bank.issuer}/userinfo`,
            accessToken,
            ...(withNonce === undefined ? {} : { nonce: withNonce }),
          }),
        },
      })
    const first = await call()
    expectChallenge(first, { status: 401, scheme: 'DPoP', error: 'use_dpop_nonce' })
    expect(first.headers['dpop-nonce']).toBeDefined()
    const retry = await call(String(first.headers['dpop-nonce']))
    expect(retry.statusCode).toBe(200)
  })
})

describe('userinfo at the mTLS bank (RS-09)', () => {
  let op: TestBankOp
  let bank: BankContext
  let presented: PeerCertificate | undefined

  beforeAll(async () => {
    op = await buildTestBankOp({
      deps: { peerCertificate: () => presented, listenerOf: () => 'mtls' },
    })
    bank = contextOf(op, mtlsBank().id)
  })
  afterAll(() => op.close())

  test('a Bearer token with its certificate answers; another certificate or none is invalid_token', async () => {
    const client = await registerClient(bank)
    presented = testCertificate(7)
    const { code } = await seedCode(bank, client)
    const tokens = await requestToken(op, bank, await codeExchangeFields(bank, client, code))
    const call = () =>
      op.app.inject({
        method: 'GET',
        url: `/${bank.bank.id}/userinfo`,
        headers: { authorization: `Bearer ${tokens.json().access_token}` },
      })
    expect((await call()).statusCode).toBe(200)
    presented = testCertificate(8)
    expectChallenge(await call(), { rule: rules.certificateBinding, scheme: 'Bearer' })
    presented = undefined
    expectChallenge(await call(), { status: 401, scheme: 'Bearer', error: 'invalid_token' })
  })

  test('no token: a bare Bearer challenge (RS-03)', async () => {
    const res = await op.app.inject({ method: 'GET', url: `/${bank.bank.id}/userinfo` })
    expectChallenge(res, { rule: rules.resourceTokenMissing, scheme: 'Bearer' })
  })
})
