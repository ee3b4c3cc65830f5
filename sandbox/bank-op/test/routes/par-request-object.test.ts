import { rules } from '@sandbox/fapi/errors/rules'
import { createRequestObject } from '@sandbox/fapi/request-object'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import { parRules } from '../../src/rules/par.js'
import { buildTestBankOp, messageSigningBank, type TestBankOp } from '../helpers.js'
import {
  assertionFields,
  contextOf,
  expectOAuthError,
  form,
  pathOf,
  pkce,
  REDIRECT_URI,
  registerClient,
  type TestClient,
} from '../oauth-helpers.js'

let op: TestBankOp
let bank: BankContext
let client: TestClient

beforeAll(async () => {
  op = await buildTestBankOp()
  bank = contextOf(op, messageSigningBank().id)
  client = await registerClient(bank, { response_modes: ['jwt'] })
})
afterAll(() => op.close())

async function requestObject(parameters: Record<string, unknown>) {
  return createRequestObject(parameters, {
    clientId: client.clientId,
    issuer: bank.issuer,
    key: { key: client.privateKey, alg: 'ES256', kid: client.publicJwk.kid as string },
    now: bank.now(),
  })
}

async function parameters() {
  return {
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    state: 'S',
    ...(await pkce()),
  }
}

async function push(fields: Record<string, string | undefined>) {
  return op.app.inject({
    method: 'POST',
    url: pathOf(bank, '/par'),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ ...(await assertionFields(client, bank)), ...fields }),
  })
}

describe('PAR at a message-signing bank (FAPI 2.0 MS 5.3.1)', () => {
  test('a signed request object is verified and its parameters pushed (MS-JAR-05)', async () => {
    const res = await push({ request: await requestObject(await parameters()) })
    expect(res.statusCode).toBe(201)
    const pushed = bank.pushedRequests.get(res.json().request_uri)
    expect(pushed).toMatchObject({ redirectUri: REDIRECT_URI, state: 'S', responseMode: 'jwt' })
  })

  test('only the request object counts, form parameters beside it are ignored (MS-JAR-09)', async () => {
    const res = await push({
      request: await requestObject(await parameters()),
      scope: 'payments',
      state: 'EVIL',
    })
    expect(res.statusCode).toBe(201)
    const pushed = bank.pushedRequests.get(res.json().request_uri)
    expect(pushed).toMatchObject({ scope: 'openid accounts', state: 'S' })
  })

  test('authorization_details inside the object are a JSON array, not a string (RAR-01)', async () => {
    const details = [{ type: 'account_information', actions: ['list_accounts'] }]
    const res = await push({
      request: await requestObject({ ...(await parameters()), authorization_details: details }),
    })
    expect(res.statusCode).toBe(201)
    expect(bank.pushedRequests.get(res.json().request_uri)?.authorizationDetails).toEqual(details)
  })

  test('plain parameters are refused (MS-JAR-01)', async () => {
    expectOAuthError(await push(await parameters()), { rule: rules.requestObjectRequired })
  })

  test('a request object without redirect_uri (MS-JAR-10)', async () => {
    const { redirect_uri: _omitted, ...rest } = await parameters()
    const res = await push({ request: await requestObject(rest) })
    expectOAuthError(res, { rule: parRules.redirectUriRequired })
  })

  test('a request object whose client_id is another client (MS-JAR-08)', async () => {
    const object = await requestObject(await parameters())
    const res = await push({ request: object, client_id: 'someone-else' })
    // The form client_id names another client than the assertion: client authentication fails first.
    expect(res.statusCode).toBe(401)
  })

  test('a request object replayed (MS-JAR-12)', async () => {
    const object = await requestObject(await parameters())
    expect((await push({ request: object })).statusCode).toBe(201)
    expectOAuthError(await push({ request: object }), { rule: rules.requestObjectReplay })
  })
})
