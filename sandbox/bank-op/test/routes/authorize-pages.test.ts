import { cite } from '@sandbox/fapi/errors/describe'
import type { Rule } from '@sandbox/fapi/errors/oauth-error'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BankContext } from '../../src/bank-context.js'
import { authorizeRules } from '../../src/rules/authorize.js'
import {
  authorizeUrl,
  callbackOf,
  formOf,
  pushDirectly,
  pushedRequest,
  type SeededCustomer,
  seedCustomer,
  signIn,
  TestBrowser,
} from '../browser-helpers.js'
import { buildTestBankOp, dpopBank, type TestBankOp } from '../helpers.js'
import { contextOf, REDIRECT_URI, registerClient, type TestClient } from '../oauth-helpers.js'

let op: TestBankOp
let bank: BankContext
let client: TestClient
let alice: SeededCustomer
let bob: SeededCustomer

beforeAll(async () => {
  op = await buildTestBankOp()
  bank = contextOf(op, dpopBank().id)
  client = await registerClient(bank, { client_name: 'Budget Buddy' })
  alice = await seedCustomer(bank)
  bob = await seedCustomer(bank, { givenName: 'Bob' })
})
afterAll(() => op.close())

function push(overrides: Parameters<typeof pushedRequest>[2] = {}, to = client): string {
  return pushDirectly(bank, pushedRequest(bank, to, overrides))
}

async function open(requestUri: string, browser = new TestBrowser(op)) {
  const page = await browser.get(authorizeUrl(bank, client.clientId, requestUri))
  expect(page.statusCode).toBe(200)
  return { browser, page }
}

/** An error redirect: 303 to the pushed redirect_uri with error, a cited description, state, iss. */
function expectErrorRedirect(
  res: LightMyRequestResponse,
  rule: Rule,
  state: string | undefined = 'S',
) {
  const { base, params } = callbackOf(res)
  expect(base).toBe(REDIRECT_URI)
  expect(params.error).toBe(rule.error)
  expect(params.error_description?.startsWith(rule.summary)).toBe(true)
  expect(params.error_description).toContain(`(${cite(rule.clause)})`)
  expect(params.state).toBe(state)
  expect(params.iss).toBe(bank.issuer)
}

function expectForbiddenPage(res: LightMyRequestResponse) {
  const rule = authorizeRules.browserSession
  expect(res.statusCode).toBe(403)
  expect(res.headers.location).toBeUndefined()
  expect(res.body).toContain(`<code>${rule.id}</code>`)
  expect(res.body).toContain(cite(rule.clause))
}

describe('the customer says no', () => {
  test('Deny on the consent page redirects access_denied with state and iss (AS-AZ-09, AS-ISS-01)', async () => {
    const { browser, page } = await open(push())
    const consent = await signIn(browser, page, alice)
    const res = await browser.submit(consent, '/consent', { decision: 'deny' })
    expectErrorRedirect(res, authorizeRules.accessDenied)
  })

  test('Cancel at sign-in redirects access_denied (AS-AZ-09)', async () => {
    const { browser, page } = await open(push())
    expectErrorRedirect(await browser.submit(page, '/cancel'), authorizeRules.accessDenied)
  })

  test('five wrong passwords end the flow with access_denied (AS-AZ-09)', async () => {
    const { browser, page } = await open(push())
    let current = page
    for (let attempt = 1; attempt < 5; attempt++) {
      const res = await browser.submit(current, '/password', {
        username: alice.username,
        password: 'wrong',
      })
      expect(res.statusCode).toBe(303)
      current = await browser.follow(res)
      expect(current.body).toContain('The username or password is not right.')
    }
    const last = await browser.submit(current, '/password', { username: 'nobody', password: 'x' })
    expectErrorRedirect(last, authorizeRules.signInAttempts)
  })

  test('a wrong code re-renders with a generic message, the right one continues', async () => {
    const { browser, page } = await open(push())
    const codePage = await browser.follow(
      await browser.submit(page, '/password', {
        username: alice.username,
        password: alice.password,
      }),
    )
    const wrong = await browser.follow(await browser.submit(codePage, '/code', { code: '000000' }))
    expect(wrong.body).toContain('That code is not right.')
    const consent = await browser.follow(
      await browser.submit(wrong, '/code', { code: alice.oneTimeCode }),
    )
    expect(consent.body).toContain('Allow Budget Buddy to connect')
  })
})

describe('request_uri use (AS-AZ-06, AS-AZ-08)', () => {
  test('opened twice, completed on the second; replay after completion is refused', async () => {
    const requestUri = push()
    await open(requestUri)
    const { browser, page } = await open(requestUri)
    const consent = await signIn(browser, page, alice)
    const done = await browser.submit(consent, '/consent', {
      decision: 'approve',
      accounts: alice.accounts[0]?.id,
      duration: '30',
    })
    expect(callbackOf(done).params.code).toBeDefined()
    const replay = await op.app.inject(authorizeUrl(bank, client.clientId, requestUri))
    expect(replay.statusCode).toBe(400)
    expect(replay.body).toContain('invalid_request_uri')
  })

  test('two interactions on one request_uri complete once', async () => {
    const requestUri = push()
    const first = await open(requestUri)
    const second = await open(requestUri)
    const firstConsent = await signIn(first.browser, first.page, alice)
    const secondConsent = await signIn(second.browser, second.page, alice)
    await first.browser.submit(firstConsent, '/consent', { decision: 'deny' })
    const res = await second.browser.submit(secondConsent, '/consent', { decision: 'deny' })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain(authorizeRules.requestUriInvalid.id)
  })

  test('front-channel state, scope and redirect_uri are ignored', async () => {
    const requestUri = push({ state: undefined })
    const browser = new TestBrowser(op)
    const page = await browser.get(
      authorizeUrl(bank, client.clientId, requestUri, {
        state: 'EVIL',
        scope: 'payments',
        redirect_uri: 'https://evil.test/cb',
      }),
    )
    const consent = await signIn(browser, page, alice)
    const done = await browser.submit(consent, '/consent', { decision: 'approve', duration: '30' })
    const { base, params } = callbackOf(done)
    expect(base).toBe(REDIRECT_URI)
    expect(params.state).toBeUndefined()
    expect(bank.codes.get(params.code as string)?.scope).toBe('openid accounts')
  })
})

describe('pages are protected', () => {
  test('every form POST answers 303, never 307 (AS-AZ-10)', async () => {
    const { browser, page } = await open(push())
    const res = await browser.submit(page, '/password', {
      username: alice.username,
      password: alice.password,
    })
    expect(res.statusCode).toBe(303)
  })

  test('a form without its CSRF token is refused with a 403 page (AS-AZ-14)', async () => {
    const { browser, page } = await open(push())
    const { action } = formOf(page.body, '/password')
    expectForbiddenPage(
      await browser.post(action, { username: alice.username, password: alice.password }),
    )
  })

  test('a form with a wrong CSRF token is refused (AS-AZ-14)', async () => {
    const { browser, page } = await open(push())
    const { action, csrf } = formOf(page.body, '/password')
    const res = await browser.post(action, {
      csrf: `${csrf.startsWith('A') ? 'B' : 'A'}${csrf.slice(1)}`,
      username: alice.username,
    })
    expectForbiddenPage(res)
  })

  test('another browser cannot use an interaction (AS-AZ-14)', async () => {
    const { page } = await open(push())
    const { action } = formOf(page.body, '/password')
    const stranger = new TestBrowser(op)
    expectForbiddenPage(await stranger.get(action.replace(/\/password$/, '')))
  })

  test('security headers and no CORS on the page (AS-TLS-04, AS-AZ-14, AS-TLS-06)', async () => {
    const browser = new TestBrowser(op)
    const res = await browser.get(authorizeUrl(bank, client.clientId, push()), {
      origin: 'https://evil.test',
    })
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
    expect(res.headers['x-frame-options']).toBe('DENY')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("form-action 'self' https://tpp.sandbox.test")
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  test('the session cookie is __Host-, HttpOnly, Secure, SameSite=Lax, Path=/, 256 bits', async () => {
    const { page } = await open(push())
    const cookie = String(page.headers['set-cookie'])
    expect(cookie).toMatch(
      /^__Host-aurora-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    )
  })

  test('values from the client and the request are escaped', async () => {
    const evil = await registerClient(bank, { client_name: '<script>alert(1)</script>' })
    const requestUri = push({}, evil)
    const res = await op.app.inject(authorizeUrl(bank, evil.clientId, requestUri))
    expect(res.body).not.toContain('<script>')
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    const forged = await op.app.inject(authorizeUrl(bank, client.clientId, '"><img src=x>'))
    expect(forged.body).not.toContain('<img')
  })

  test('malformed input is a 4xx page, never a 500', async () => {
    const { browser, page } = await open(push())
    const { action } = formOf(page.body, '/password')
    const json = await op.app.inject({
      method: 'POST',
      url: new URL(action).pathname,
      headers: { 'content-type': 'application/json' },
      payload: '{"csrf":1}',
    })
    expect(json.statusCode).toBe(400)
    const huge = await browser.post(action, { username: 'x'.repeat(20_000) })
    expect(huge.statusCode).toBe(413)
    const badQuery = await op.app.inject(
      `/${bank.bank.id}/authorize?client_id=%E0%A4%A&request_uri=x`,
    )
    expect(badQuery.statusCode).toBeLessThan(500)
    const unknownBank = await op.app.inject('/nobank/authorize?client_id=a&request_uri=b')
    expect(unknownBank.statusCode).toBe(404)
    expect(unknownBank.headers['content-type']).toMatch(/^text\/html/)
  })
})

describe('payments on the consent page (RAR-09, AS-AZ-13)', () => {
  const payment = {
    type: 'payment_initiation' as const,
    instructedAmount: { amount: '25.50', currency: 'GBP' as const },
    creditorName: 'Corner Shop',
    creditorAccount: {
      scheme: 'SortCodeAccountNumber' as const,
      sortCode: '654321',
      accountNumber: '87654321',
    },
    remittanceInformationUnstructured: 'Invoice 42',
  }

  test('shows amount, creditor and reference, and grants the chosen payer as debtorAccount', async () => {
    const { browser, page } = await open(
      push({ scope: 'payments', authorizationDetails: [payment] }),
    )
    const consent = await signIn(browser, page, alice)
    for (const text of [
      '£25.50',
      'Corner Shop',
      '65-43-21 87654321',
      'Invoice 42',
      'Budget Buddy',
    ]) {
      expect(consent.body).toContain(text)
    }
    const current = alice.accounts[0]
    const done = await browser.submit(consent, '/consent', {
      decision: 'approve',
      'payer-0': current?.id,
    })
    const code = bank.codes.get(callbackOf(done).params.code as string)
    expect(code?.authorizationDetails).toEqual([
      {
        ...payment,
        debtorAccount: {
          scheme: 'SortCodeAccountNumber',
          sortCode: current?.sortCode,
          accountNumber: current?.accountNumber,
        },
      },
    ])
    const grant = await bank.store.grants.get(code?.grantId as string)
    expect(grant?.expiresAt).toBe(bank.now() + 24 * 60 * 60)
  })

  test('approving without choosing an account re-renders with a notice', async () => {
    const details = [{ type: 'account_information' as const, actions: ['list_accounts' as const] }]
    const { browser, page } = await open(push({ authorizationDetails: details }))
    const consent = await signIn(browser, page, alice)
    const again = await browser.follow(
      await browser.submit(consent, '/consent', { decision: 'approve', duration: '90' }),
    )
    expect(again.body).toContain('Choose at least one account to share.')
  })
})

describe('headless consent (docs/headless-consent.md)', () => {
  test('approve grants every account of the login_hint user, first funded current account pays', async () => {
    const robot = await registerClient(bank, { automaticConsent: 'approve' })
    const requestUri = pushDirectly(
      bank,
      pushedRequest(bank, robot, {
        loginHint: alice.username,
        authorizationDetails: [
          { type: 'account_information', actions: ['read_balances'] },
          {
            type: 'payment_initiation',
            instructedAmount: { amount: '10.00', currency: 'GBP' },
            creditorName: 'X',
            creditorAccount: { scheme: 'IBAN', iban: 'GB33BUKB20201555555555' },
          },
        ],
      }),
    )
    const res = await op.app.inject(authorizeUrl(bank, robot.clientId, requestUri))
    const code = bank.codes.get(callbackOf(res).params.code as string)
    expect(code?.customerId).toBe(alice.customerId)
    const [information, payment] = code?.authorizationDetails ?? []
    expect(information).toMatchObject({ accounts: alice.accounts.map((account) => account.id) })
    expect(payment).toMatchObject({
      debtorAccount: { accountNumber: alice.accounts[0]?.accountNumber },
    })
  })

  test('deny answers access_denied (AS-AZ-09)', async () => {
    const robot = await registerClient(bank, { automaticConsent: 'deny' })
    const requestUri = pushDirectly(bank, pushedRequest(bank, robot, { loginHint: alice.username }))
    const res = await op.app.inject(authorizeUrl(bank, robot.clientId, requestUri))
    expectErrorRedirect(res, authorizeRules.accessDenied)
  })

  test('a missing or unknown login_hint is an error redirect (AS-AZ-02)', async () => {
    const robot = await registerClient(bank, { automaticConsent: 'approve' })
    for (const loginHint of [undefined, 'nobody']) {
      const requestUri = pushDirectly(bank, pushedRequest(bank, robot, { loginHint }))
      const res = await op.app.inject(authorizeUrl(bank, robot.clientId, requestUri))
      expectErrorRedirect(res, authorizeRules.automaticConsentLoginHint)
    }
  })
})

describe('connected apps', () => {
  async function connect(customer: SeededCustomer): Promise<string> {
    const { browser, page } = await open(push())
    const consent = await signIn(browser, page, customer)
    const done = await browser.submit(consent, '/consent', { decision: 'approve', duration: '30' })
    return bank.codes.get(callbackOf(done).params.code as string)?.grantId as string
  }

  test("lists the customer's grants after sign-in, revokes one, and never another customer's", async () => {
    const mine = await connect(alice)
    const theirs = await connect(bob)
    const browser = new TestBrowser(op)
    const login = await browser.get(`/${bank.bank.id}/connected-apps`)
    expect(login.body).toContain('Sign in to see and manage the apps')
    const list = await signIn(browser, login, alice)
    expect(list.body).toContain('Budget Buddy')
    expect(list.body).toContain('Know who you are')
    const foreign = formOf(list.body, `/connected-apps/${mine}/revoke`)
    await browser.post(foreign.action.replace(mine, theirs), { csrf: foreign.csrf })
    expect((await bank.store.grants.get(theirs))?.status).toBe('active')
    const res = await browser.submit(list, `/connected-apps/${mine}/revoke`)
    expect(res.headers.location).toBe(`${bank.issuer}/connected-apps`)
    expect(await bank.store.grants.get(mine)).toMatchObject({
      status: 'revoked',
      revokedReason: 'revoked by the customer',
    })
    const after = await browser.follow(res)
    expect(after.body).toContain('Access revoked')
  })

  test('revoking without the CSRF token is refused (AS-AZ-14)', async () => {
    const mine = await connect(alice)
    const browser = new TestBrowser(op)
    const list = await signIn(browser, await browser.get(`/${bank.bank.id}/connected-apps`), alice)
    const { action } = formOf(list.body, `/connected-apps/${mine}/revoke`)
    expectForbiddenPage(await browser.post(action, {}))
    expect((await bank.store.grants.get(mine))?.status).toBe('active')
  })
})
