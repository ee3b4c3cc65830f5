import { verifyJarmResponse } from '@sandbox/fapi/jarm'
import { decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import {
  authorizeUrl,
  callbackOf,
  pushDirectly,
  pushedRequest,
  type SeededCustomer,
  seedCustomer,
  signIn,
  TestBrowser,
} from '../browser-helpers.js'
import { buildTestBankOp, messageSigningBank, type TestBankOp } from '../helpers.js'
import { contextOf, REDIRECT_URI, registerClient, type TestClient } from '../oauth-helpers.js'

let op: TestBankOp
let fjord: BankContext
let client: TestClient
let customer: SeededCustomer

beforeAll(async () => {
  op = await buildTestBankOp()
  fjord = contextOf(op, messageSigningBank().id)
  client = await registerClient(fjord, { client_name: 'Signed Savings', response_modes: ['jwt'] })
  customer = await seedCustomer(fjord)
})
afterAll(() => op.close())

async function responseOf(res: Awaited<ReturnType<TestBrowser['get']>>) {
  const { base, params } = callbackOf(res)
  expect(base).toBe(REDIRECT_URI)
  // AS-ISS-02, MS-JARM-05: the query carries `response` and nothing else.
  expect(Object.keys(params)).toEqual(['response'])
  const jwt = params.response as string
  expect(decodeProtectedHeader(jwt).kid).toBeDefined()
  return verifyJarmResponse({
    response: jwt,
    issuer: fjord.issuer,
    clientId: client.clientId,
    now: fjord.now(),
    jwks: fjord.keys.publicJwks(),
  })
}

describe('JARM at the message-signing bank (MS-JARM-02..05, AS-ISS-02)', () => {
  test('success: the code and state are signed inside response', async () => {
    const requestUri = pushDirectly(fjord, pushedRequest(fjord, client, { responseMode: 'jwt' }))
    const browser = new TestBrowser(op)
    const page = await browser.get(authorizeUrl(fjord, client.clientId, requestUri))
    const consent = await signIn(browser, page, customer)
    const done = await browser.submit(consent, '/consent', { decision: 'approve', duration: '30' })
    const params = await responseOf(done)
    expect(params).toMatchObject({ state: 'S' })
    expect(fjord.codes.get((params as { code: string }).code)?.customerId).toBe(customer.customerId)
  })

  test('denial: access_denied, also signed (MS-JARM-04)', async () => {
    const requestUri = pushDirectly(fjord, pushedRequest(fjord, client, { responseMode: 'jwt' }))
    const browser = new TestBrowser(op)
    const page = await browser.get(authorizeUrl(fjord, client.clientId, requestUri))
    const params = await responseOf(await browser.submit(page, '/cancel'))
    expect(params).toMatchObject({ error: 'access_denied', state: 'S' })
  })
})
