import { calculateJwkThumbprint } from '@sandbox/fapi/dpop/thumbprint'
import { rules } from '@sandbox/fapi/errors/rules'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import { parRules } from '../../src/rules/par.js'
import { requestRules } from '../../src/rules/request.js'
import { buildTestBankOp, dpopBank, type TestBankOp } from '../helpers.js'
import {
  assertionFields,
  clientAssertion,
  contextOf,
  dpopProof,
  expectOAuthError,
  form,
  generateEs256,
  pathOf,
  pkce,
  REDIRECT_URI,
  registerClient,
  type TestClient,
} from '../oauth-helpers.js'

let op: TestBankOp
let bank: BankContext
let client: TestClient
let url: string

beforeAll(async () => {
  op = await buildTestBankOp()
  bank = contextOf(op, dpopBank().id)
  client = await registerClient(bank, { authorization_details_types: ['account_information'] })
  url = pathOf(bank, '/par')
})
afterAll(() => op.close())

const accountInformation = JSON.stringify([
  { type: 'account_information', actions: ['list_accounts', 'read_balances'] },
])

async function validFields() {
  return {
    ...(await assertionFields(client, bank)),
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    state: 'S',
    nonce: 'N',
    ...(await pkce()),
  }
}

async function push(
  fields: Record<string, string | readonly string[] | undefined>,
  headers: Record<string, string> = {},
) {
  return op.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form(fields),
  })
}

describe('PAR accepts a valid pushed request (RFC 9126 section 2.2)', () => {
  test('201 with a one-time urn request_uri and no-store (AS-PAR-01, AS-PAR-02, AS-PAR-11)', async () => {
    const res = await push(await validFields())
    expect(res.statusCode).toBe(201)
    expect(res.headers['cache-control']).toBe('no-store')
    const body = res.json()
    expect(body.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/)
    expect(body.expires_in).toBe(60)
    const pushed = bank.pushedRequests.get(body.request_uri)
    expect(pushed).toMatchObject({
      clientId: client.clientId,
      redirectUri: REDIRECT_URI,
      state: 'S',
    })
  })

  test('authorization_details of a registered type (RAR-01) and scopes in any order (AS-PAR-15)', async () => {
    const res = await push({
      ...(await validFields()),
      scope: 'accounts openid',
      authorization_details: accountInformation,
    })
    expect(res.statusCode).toBe(201)
  })

  test('a DPoP proof binds the code to its key (AS-PAR-12)', async () => {
    const key = await generateEs256()
    const proof = await dpopProof(key, bank, { url: `${bank.issuer}/par` })
    const res = await push(await validFields(), { dpop: proof })
    expect(res.statusCode).toBe(201)
    const { dpop_jkt: _none, ...jwk } = key.publicJwk as Record<string, string>
    const { kid: _k, alg: _a, use: _u, ...bare } = jwk
    expect(bank.pushedRequests.get(res.json().request_uri)?.dpopJkt).toBe(
      await calculateJwkThumbprint(bare),
    )
  })

  test('unknown parameters are ignored (RFC 6749 section 3.1)', async () => {
    const res = await push({ ...(await validFields()), unknown_parameter: 'x' })
    expect(res.statusCode).toBe(201)
  })
})

describe('PAR rejects, one rule at a time', () => {
  test('request_uri pushed (AS-PAR-05)', async () => {
    const res = await push({
      ...(await validFields()),
      request_uri: 'urn:ietf:params:oauth:request_uri:x',
    })
    expectOAuthError(res, { rule: parRules.requestUriPushed })
  })

  test('redirect_uri missing (AS-PAR-06)', async () => {
    const res = await push({ ...(await validFields()), redirect_uri: undefined })
    expectOAuthError(res, { rule: parRules.redirectUriRequired })
  })

  test('redirect_uri over http (AS-RU-01)', async () => {
    const res = await push({ ...(await validFields()), redirect_uri: 'http://tpp.sandbox.test/cb' })
    expectOAuthError(res, { rule: parRules.redirectUriHttps })
  })

  test.each([`${REDIRECT_URI}/x`, `${REDIRECT_URI}?a=1`, 'https://TPP.sandbox.test/cb'])(
    'redirect_uri %s not registered exactly (AS-RU-02)',
    async (redirectUri) => {
      const res = await push({ ...(await validFields()), redirect_uri: redirectUri })
      expectOAuthError(res, { rule: parRules.redirectUriRegistered })
    },
  )

  test.each([
    ['no code_challenge', { code_challenge: undefined }],
    ['plain', { code_challenge_method: 'plain' }],
    ['no method', { code_challenge_method: undefined }],
    ['a short challenge', { code_challenge: 'abc' }],
  ])('PKCE with %s (AS-PAR-07)', async (_name, change) => {
    const res = await push({ ...(await validFields()), ...change })
    expectOAuthError(res, { rule: rules.pkceS256 })
  })

  test.each(['token', 'code id_token', 'id_token', 'none'])(
    'response_type=%s (AS-PAR-08, AS-RTY-01)',
    async (responseType) => {
      const res = await push({ ...(await validFields()), response_type: responseType })
      expectOAuthError(res, { rule: parRules.responseTypeCode })
    },
  )

  test('response_mode=fragment (AS-RTY-04)', async () => {
    const res = await push({ ...(await validFields()), response_mode: 'fragment' })
    expectOAuthError(res, { rule: parRules.responseMode })
  })

  test('an unknown scope (AS-PAR-09)', async () => {
    const res = await push({ ...(await validFields()), scope: 'openid unknown' })
    expectOAuthError(res, { rule: parRules.unknownScope })
  })

  test('neither scope nor authorization_details (AS-PAR-09)', async () => {
    const res = await push({ ...(await validFields()), scope: undefined })
    expectOAuthError(res, { rule: parRules.nothingRequested })
  })

  test('scope sent twice (AS-PAR-10)', async () => {
    const res = await push({ ...(await validFields()), scope: ['openid', 'accounts'] })
    expectOAuthError(res, { rule: requestRules.repeatedParameter })
  })

  test.each([
    ['not JSON', '[{'],
    ['not an array', '{"type":"account_information"}'],
    ['an element without type', '[{"actions":["list_accounts"]}]'],
  ])('authorization_details %s (RAR-03)', async (_name, value) => {
    const res = await push({ ...(await validFields()), authorization_details: value })
    expectOAuthError(res, { rule: parRules.authorizationDetailsSyntax })
  })

  test('an unknown authorization_details type (RAR-02)', async () => {
    const res = await push({ ...(await validFields()), authorization_details: '[{"type":"foo"}]' })
    expectOAuthError(res, { rule: parRules.authorizationDetailsType })
  })

  test('account_information with an unknown action (RAR-04)', async () => {
    const res = await push({
      ...(await validFields()),
      authorization_details: '[{"type":"account_information","actions":["steal"]}]',
    })
    expectOAuthError(res, { rule: parRules.authorizationDetailsFields })
  })

  test('a type the client did not register (RAR-05)', async () => {
    const payment = [
      {
        type: 'payment_initiation',
        instructedAmount: { currency: 'GBP', amount: '10.00' },
        creditorName: 'Ada',
        creditorAccount: { scheme: 'sort_code_account_number', identification: '04000412345678' },
      },
    ]
    const res = await push({
      ...(await validFields()),
      authorization_details: JSON.stringify(payment),
    })
    expectOAuthError(res, { rule: parRules.authorizationDetailsTypeNotAllowed })
  })

  test('dpop_jkt naming another key than the proof (AS-PAR-12)', async () => {
    const key = await generateEs256()
    const proof = await dpopProof(key, bank, { url: `${bank.issuer}/par` })
    const res = await push({ ...(await validFields()), dpop_jkt: 'A'.repeat(43) }, { dpop: proof })
    expectOAuthError(res, { rule: parRules.dpopJktMismatch })
  })

  test('a DPoP proof made for the token endpoint (AS-PAR-12, AS-SC-09)', async () => {
    const key = await generateEs256()
    const proof = await dpopProof(key, bank, { url: `${bank.issuer}/token` })
    const res = await push(await validFields(), { dpop: proof })
    expectOAuthError(res, { rule: rules.dpopHtu })
  })

  test('a malformed parameter names itself and RFC 6749 section 5.2 (AS-TOK-09)', async () => {
    const res = await push({ ...(await validFields()), state: 's'.repeat(600) })
    const body = expectOAuthError(res, { rule: requestRules.malformedParameter })
    expect(body.error_description).toContain('state')
  })

  test('GET (AS-PAR-04)', async () => {
    const res = await op.app.inject({ method: 'GET', url: `${url}?response_type=code` })
    expectOAuthError(res, { rule: requestRules.postOnly, headers: { allow: 'POST' } })
  })

  test('a JSON body (RFC 9126 section 2.1)', async () => {
    const res = await op.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(await validFields()),
    })
    expectOAuthError(res, { rule: requestRules.formEncodedOnly })
  })

  test('a body over 64 KiB (AS-PAR-16)', async () => {
    const res = await push({ ...(await validFields()), state: 'x'.repeat(70_000) })
    expectOAuthError(res, { rule: requestRules.bodyTooLarge })
  })
})

describe('PAR authenticates the client (AS-PAR-03, AS-CA)', () => {
  test('no client authentication (AS-PAR-03, AS-CA-08)', async () => {
    const res = await push({
      ...(await validFields()),
      client_assertion: undefined,
      client_assertion_type: undefined,
    })
    expectOAuthError(res, { rule: rules.clientAuthRequired })
  })

  test('a client secret in Basic (AS-CA-01) is challenged', async () => {
    const res = await push(
      { ...(await validFields()), client_assertion: undefined, client_assertion_type: undefined },
      { authorization: `Basic ${Buffer.from(`${client.clientId}:secret`).toString('base64')}` },
    )
    expectOAuthError(res, {
      rule: requestRules.clientSecretRefused,
      headers: { 'www-authenticate': `Basic realm="${bank.issuer}"` },
    })
  })

  test('client_secret in the body (AS-CA-01)', async () => {
    const res = await push({
      ...(await validFields()),
      client_assertion: undefined,
      client_assertion_type: undefined,
      client_secret: 'secret',
    })
    expectOAuthError(res, { rule: requestRules.clientSecretRefused })
  })

  test('Basic and an assertion together (AS-CA-11)', async () => {
    const res = await push(await validFields(), { authorization: 'Basic eDp5' })
    expectOAuthError(res, { rule: requestRules.oneAuthenticationMethod })
  })

  test.each([
    ['an array', () => [bank.issuer]],
    ['the PAR URL', () => `${bank.issuer}/par`],
    ['the token URL', () => `${bank.issuer}/token`],
  ])('an assertion whose aud is %s (AS-CA-03)', async (_name, aud) => {
    const res = await push({
      ...(await validFields()),
      client_assertion: await clientAssertion(client, bank, { aud: aud() }),
    })
    expectOAuthError(res, { rule: rules.clientAssertionAudience })
  })

  test('an assertion replayed (AS-CA-07)', async () => {
    const fields = await validFields()
    expect((await push(fields)).statusCode).toBe(201)
    expectOAuthError(await push(fields), { rule: rules.clientAssertionReplay })
  })

  test('a client registered for another method than the bank requires (AS-CA-01)', async () => {
    const other = await registerClient(bank, {
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: 'CN=other,O=Sandbox',
    })
    const res = await push({
      ...(await validFields()),
      ...(await assertionFields(other, bank)),
    })
    expectOAuthError(res, { rule: requestRules.wrongAuthenticationMethod })
  })

  test('an unknown client (AS-PAR-09, AS-CA-09)', async () => {
    const stranger = { ...client, clientId: 'stranger' }
    const res = await push({
      ...(await validFields()),
      client_id: 'stranger',
      client_assertion: await clientAssertion(stranger, bank),
    })
    expectOAuthError(res, { rule: rules.clientAssertionKey })
  })
})

test('an unknown bank answers 404 problem+json', async () => {
  const res = await op.app.inject({ method: 'POST', url: '/nobank/par', payload: 'a=b' })
  expect(res.statusCode).toBe(404)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
})
