import { cite } from '@sandbox/fapi/errors/describe'
import type { Rule } from '@sandbox/fapi/errors/oauth-error'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import { authorizeRules } from '../../src/rules/authorize.js'
import { requestRules } from '../../src/rules/request.js'
import {
  authorizeUrl,
  callbackOf,
  pushDirectly,
  pushedRequest,
  pushViaPar,
  type SeededCustomer,
  seedCustomer,
  signIn,
  TestBrowser,
} from '../browser-helpers.js'
import { buildTestBankOp, dpopBank, manualClock, mtlsBank, type TestBankOp } from '../helpers.js'
import { contextOf, REDIRECT_URI, registerClient, type TestClient } from '../oauth-helpers.js'

const clock = manualClock()
let op: TestBankOp
let aurora: BankContext
let meridian: BankContext
let client: TestClient
let otherClient: TestClient
let alice: SeededCustomer

beforeAll(async () => {
  op = await buildTestBankOp({ deps: { now: clock.now } })
  aurora = contextOf(op, dpopBank().id)
  meridian = contextOf(op, mtlsBank().id)
  client = await registerClient(aurora, { client_name: 'Budget Buddy' })
  otherClient = await registerClient(aurora, { client_name: 'Other App' })
  alice = await seedCustomer(aurora)
})
afterAll(() => op.close())

/** The one assertion for error pages: status, HTML, the rule and its clause, no redirect. */
function expectErrorPage(res: LightMyRequestResponse, rule: Rule): void {
  expect(res.statusCode).toBe(rule.status)
  expect(res.headers['content-type']).toMatch(/^text\/html/)
  expect(res.headers.location).toBeUndefined()
  expect(res.body).toContain(`<code>${rule.id}</code>`)
  expect(res.body).toContain(`<code>${rule.error}</code>`)
  expect(res.body).toContain(cite(rule.clause))
  expect(res.headers['cache-control']).toBe('no-store')
  expect(res.headers['x-frame-options']).toBe('DENY')
}

describe('the full flow through the pages (AS-AZ-02)', () => {
  test('PAR, authorize, sign-in, consent, 303 to the client with code, state and iss (AS-AZ-11, AS-ISS-01)', async () => {
    const { requestUri, dpopJkt } = await pushViaPar(op, aurora, client, {
      authorization_details: JSON.stringify([
        { type: 'account_information', actions: ['list_accounts', 'read_balances'] },
      ]),
    })
    const browser = new TestBrowser(op)
    const login = await browser.get(authorizeUrl(aurora, client.clientId, requestUri))
    expect(login.statusCode).toBe(200)
    expect(login.body).toContain('Budget Buddy')
    const consent = await signIn(browser, login, alice)
    expect(consent.statusCode).toBe(200)
    expect(consent.body).toContain('See the balances of your accounts')
    const current = alice.accounts[0]?.id as string
    const done = await browser.submit(consent, '/consent', {
      decision: 'approve',
      accounts: current,
      duration: '90',
    })
    const { base, params } = callbackOf(done)
    expect(base).toBe(REDIRECT_URI)
    expect(Object.keys(params).sort()).toEqual(['code', 'iss', 'state'])
    expect(params.state).toBe('S')
    expect(params.iss).toBe(aurora.issuer)
    expect(String(done.headers.location)).not.toContain('#')
    const issued = aurora.codes.get(params.code as string)
    expect(issued).toMatchObject({
      clientId: client.clientId,
      customerId: alice.customerId,
      dpopJkt,
      nonce: 'N',
      redirectUri: REDIRECT_URI,
    })
    expect(issued?.expiresAt).toBe(aurora.now() + 60)
    const grant = await aurora.store.grants.get(issued?.grantId as string)
    expect(grant).toMatchObject({
      status: 'active',
      customerId: alice.customerId,
      scope: 'openid accounts',
    })
    expect(grant?.authorizationDetails).toEqual([
      {
        type: 'account_information',
        actions: ['list_accounts', 'read_balances'],
        accounts: [current],
        expiresAt: new Date((aurora.now() + 90 * 86400) * 1000).toISOString(),
      },
    ])
  })
})

describe('error pages while the client or redirect_uri is not established', () => {
  test('no request_uri: not pushed (AS-AZ-01)', async () => {
    const res = await op.app.inject(
      authorizeUrl(aurora, client.clientId, undefined, {
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid',
      }),
    )
    expectErrorPage(res, authorizeRules.notPushed)
  })

  test('no client_id (AS-AZ-03)', async () => {
    const { requestUri } = await pushViaPar(op, aurora, client)
    expectErrorPage(
      await op.app.inject(authorizeUrl(aurora, undefined, requestUri)),
      authorizeRules.clientId,
    )
  })

  test('unknown client (AS-AZ-03)', async () => {
    const { requestUri } = await pushViaPar(op, aurora, client)
    expectErrorPage(
      await op.app.inject(authorizeUrl(aurora, 'nobody', requestUri)),
      authorizeRules.clientId,
    )
  })

  test('forged request_uri, even with a redirect_uri beside it (AS-AZ-07, AS-AZ-12)', async () => {
    const res = await op.app.inject(
      authorizeUrl(aurora, client.clientId, 'urn:ietf:params:oauth:request_uri:forged', {
        redirect_uri: 'https://evil.test',
      }),
    )
    expectErrorPage(res, authorizeRules.requestUriInvalid)
  })

  test("another client's request_uri (AS-AZ-04)", async () => {
    const { requestUri } = await pushViaPar(op, aurora, client)
    expectErrorPage(
      await op.app.inject(authorizeUrl(aurora, otherClient.clientId, requestUri)),
      authorizeRules.requestUriOtherClient,
    )
  })

  test('expired request_uri (AS-AZ-05)', async () => {
    const { requestUri } = await pushViaPar(op, aurora, client)
    clock.advance(61)
    expectErrorPage(
      await op.app.inject(authorizeUrl(aurora, client.clientId, requestUri)),
      authorizeRules.requestUriInvalid,
    )
  })

  test('a repeated parameter (RFC 6749 section 3.1)', async () => {
    const { requestUri } = await pushViaPar(op, aurora, client)
    const url = `${authorizeUrl(aurora, client.clientId, requestUri)}&client_id=${client.clientId}`
    expectErrorPage(await op.app.inject(url), requestRules.repeatedParameter)
  })

  test('POST and CORS preflight get 405 with Allow: GET and no CORS headers (AS-TLS-06)', async () => {
    const res = await op.app.inject({
      method: 'OPTIONS',
      url: `/${aurora.bank.id}/authorize`,
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' },
    })
    expectErrorPage(res, authorizeRules.getOnly)
    expect(res.headers.allow).toBe('GET')
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('meridian, the mTLS bank', () => {
  test('the flow completes for a request pushed straight into the store (AS-AZ-02)', async () => {
    const mtlsClient = await registerClient(meridian, { client_name: 'Ledger Lite' })
    const customer = await seedCustomer(meridian)
    const requestUri = pushDirectly(meridian, pushedRequest(meridian, mtlsClient))
    const browser = new TestBrowser(op)
    const login = await browser.get(authorizeUrl(meridian, mtlsClient.clientId, requestUri))
    const consent = await signIn(browser, login, customer)
    const done = await browser.submit(consent, '/consent', { decision: 'approve', duration: '30' })
    const { params } = callbackOf(done)
    expect(params.iss).toBe(meridian.issuer)
    expect(meridian.codes.get(params.code as string)?.customerId).toBe(customer.customerId)
  })
})
