/**
 * Driving the bank's pages through `inject`: a cookie jar carried by hand, the forms' CSRF
 * tokens and actions read from the HTML, seeded customers, and pushed requests.
 */
import { REQUEST_URI_PREFIX } from '@sandbox/spec-types/oauth/par'
import type { AccountRecord } from '@sandbox/store/repositories/accounts'
import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import type { BankContext, PushedRequest } from '../src/bank-context.js'
import type { TestBankOp } from './helpers.js'
import {
  assertionFields,
  dpopProof,
  form,
  generateEs256,
  pkce,
  REDIRECT_URI,
  type TestClient,
} from './oauth-helpers.js'

/** A browser: the cookies it holds, sent with each request, updated from each answer. */
export class TestBrowser {
  readonly cookies = new Map<string, string>()
  readonly op: TestBankOp
  constructor(op: TestBankOp) {
    this.op = op
  }

  private remember(res: LightMyRequestResponse): void {
    for (const cookie of res.cookies as Array<{
      name: string
      value: string
      maxAge?: number
      expires?: Date
    }>) {
      const cleared =
        cookie.value === '' ||
        (cookie.expires !== undefined && cookie.expires.getTime() < Date.now())
      if (cleared) this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {}
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.op.app.inject({
      method: 'GET',
      url: localPath(url),
      headers: { ...this.cookieHeader(), ...headers },
    })
    this.remember(res)
    return res
  }

  async post(
    url: string,
    fields: Record<string, string | readonly string[] | undefined>,
  ): Promise<LightMyRequestResponse> {
    const res = await this.op.app.inject({
      method: 'POST',
      url: localPath(url),
      headers: { ...this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(fields),
    })
    this.remember(res)
    return res
  }

  /** Posts the page's form whose action ends with `action`, with its CSRF token. */
  async submit(
    page: LightMyRequestResponse,
    action: string,
    fields: Record<string, string | readonly string[] | undefined> = {},
  ): Promise<LightMyRequestResponse> {
    const found = formOf(page.body, action)
    return this.post(found.action, { csrf: found.csrf, ...fields })
  }

  /** Follows a 303 within the bank. */
  async follow(res: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    expect(res.statusCode).toBe(303)
    return this.get(String(res.headers.location))
  }
}

/** The path and query of an absolute URL of bank-op, for `inject`. */
export function localPath(url: string): string {
  if (url.startsWith('/')) return url
  const parsed = new URL(url)
  return `${parsed.pathname}${parsed.search}`
}

const decodeEntities = (value: string) =>
  value
    .replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')

/** The form whose action ends with `action`: its URL and CSRF token. */
export function formOf(body: string, action: string): { action: string; csrf: string } {
  for (const match of body.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)) {
    const url = decodeEntities(match[1] ?? '')
    if (!url.endsWith(action)) continue
    const csrf = /name="csrf" value="([^"]+)"/.exec(match[2] ?? '')?.[1]
    if (csrf === undefined) throw new Error(`form ${action} has no CSRF token`)
    return { action: url, csrf }
  }
  throw new Error(`no form posting to ...${action} on the page:\n${body.slice(0, 2000)}`)
}

/** The query of a redirect to the client, as an object (and the URL before it). */
export function callbackOf(res: LightMyRequestResponse): {
  base: string
  params: Record<string, string>
} {
  expect(res.statusCode).toBe(303)
  const location = String(res.headers.location)
  const [base = '', query = ''] = location.split('?')
  return { base, params: Object.fromEntries(new URLSearchParams(query)) }
}

export interface SeededCustomer {
  customerId: string
  username: string
  password: string
  oneTimeCode: string
  accounts: AccountRecord[]
}

let customerCount = 0

/**
 * A customer with a test login, a current account holding `balance` minor units, a savings
 * account and a credit card, at `bank`.
 */
export async function seedCustomer(
  bank: BankContext,
  options: { balance?: number; givenName?: string } = {},
): Promise<SeededCustomer> {
  customerCount += 1
  const n = customerCount
  const customerId = `cust-${bank.bank.id}-${n}`
  const username = `user${n}`
  await bank.store.customers.insertMany([
    {
      id: customerId,
      givenName: options.givenName ?? 'Alice',
      familyName: `Tester${n}`,
      email: `user${n}@example.test`,
      phone: '+44 7700 900000',
      addressLine: '1 Test Street',
      city: 'London',
      postcode: 'N1 1AA',
      country: 'GB',
      dateOfBirth: '1990-01-01',
      customerSince: '2020-01-01',
    },
  ])
  const number = String(10_000_000 + n * 10)
  const uk = bank.bank.currency === 'GBP'
  const accounts: AccountRecord[] = [
    {
      id: `acc-${bank.bank.id}-${n}-current`,
      customerId,
      type: 'current',
      currency: bank.bank.currency,
      name: 'Everyday Current Account',
      iban: uk ? null : `SE45500000000${number}`.slice(0, 24),
      sortCode: uk ? '123456' : null,
      accountNumber: uk ? number : null,
      maskedPan: null,
      status: 'enabled',
      openedAt: '2020-01-01',
      creditLimit: null,
    },
    {
      id: `acc-${bank.bank.id}-${n}-savings`,
      customerId,
      type: 'savings',
      currency: bank.bank.currency,
      name: 'Rainy Day Saver',
      iban: uk ? null : `SE45500000000${number.slice(0, -1)}1`.slice(0, 24),
      sortCode: uk ? '123456' : null,
      accountNumber: uk ? String(Number(number) + 1) : null,
      maskedPan: null,
      status: 'enabled',
      openedAt: '2020-01-01',
      creditLimit: null,
    },
  ]
  await bank.store.accounts.insertMany(accounts)
  const balance = options.balance ?? 100_000
  if (balance > 0) {
    await bank.store.transactions.insertMany([
      {
        id: `tx_${String(n * 10).padStart(10, '0')}`,
        accountId: accounts[0]?.id as string,
        bookingDateTime: '2025-12-01T09:00:00Z',
        valueDateTime: null,
        amount: balance,
        creditDebit: 'credit',
        status: 'booked',
        kind: 'transfer',
        description: 'Salary',
        merchantName: null,
        merchantCategoryCode: null,
        category: 'income',
        counterpartyName: 'Employer Ltd',
        counterpartyAccount: null,
        reference: null,
        transferId: null,
        balanceAfter: balance,
      },
    ])
  }
  const password = `pw-${n}-secret`
  const oneTimeCode = String(100_000 + n).slice(0, 6)
  await bank.store.testUsers.insertMany([{ username, customerId, password, oneTimeCode }])
  return { customerId, username, password, oneTimeCode, accounts }
}

/** The pushed request of a valid PAR, for a client of the bank. */
export function pushedRequest(
  bank: BankContext,
  client: TestClient,
  overrides: Partial<PushedRequest> = {},
): PushedRequest {
  const now = bank.now()
  return {
    clientId: client.clientId,
    redirectUri: REDIRECT_URI,
    responseMode: 'query',
    scope: 'openid accounts',
    state: 'S',
    nonce: 'N',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    pushedAt: now,
    expiresAt: now + 60,
    ...overrides,
  }
}

/**
 * Pushes a request without PAR, straight into the bank's store (for the mTLS bank, whose PAR needs
 * the mutual-TLS listener); returns its request_uri.
 */
export function pushDirectly(bank: BankContext, pushed: PushedRequest): string {
  const requestUri = `${REQUEST_URI_PREFIX}${crypto.randomUUID().replaceAll('-', '')}`
  bank.pushedRequests.set(requestUri, pushed, pushed.expiresAt)
  return requestUri
}

/** Pushes through the PAR endpoint of a private_key_jwt bank, with a DPoP proof; returns request_uri. */
export async function pushViaPar(
  op: TestBankOp,
  bank: BankContext,
  client: TestClient,
  fields: Record<string, string | undefined> = {},
): Promise<{ requestUri: string; dpopJkt: string | undefined }> {
  const key = await generateEs256()
  const proof = await dpopProof(key, bank, { url: `${bank.issuer}/par` })
  const res = await op.app.inject({
    method: 'POST',
    url: `/${bank.bank.id}/par`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
    payload: form({
      ...(await assertionFields(client, bank)),
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid accounts',
      state: 'S',
      nonce: 'N',
      ...(await pkce()),
      ...fields,
    }),
  })
  expect(res.statusCode, res.body).toBe(201)
  const requestUri = res.json().request_uri as string
  return { requestUri, dpopJkt: bank.pushedRequests.get(requestUri)?.dpopJkt }
}

/** The authorization endpoint URL of a request. */
export function authorizeUrl(
  bank: BankContext,
  clientId: string | undefined,
  requestUri: string | undefined,
  extra: Record<string, string> = {},
): string {
  const query = new URLSearchParams({
    ...(clientId === undefined ? {} : { client_id: clientId }),
    ...(requestUri === undefined ? {} : { request_uri: requestUri }),
    ...extra,
  })
  return `/${bank.bank.id}/authorize?${query}`
}

/** Signs in on the page `res` (password, then code) and returns the page after it. */
export async function signIn(
  browser: TestBrowser,
  res: LightMyRequestResponse,
  user: Pick<SeededCustomer, 'username' | 'password' | 'oneTimeCode'>,
): Promise<LightMyRequestResponse> {
  const afterPassword = await browser.submit(res, '/password', {
    username: user.username,
    password: user.password,
  })
  const codePage = await browser.follow(afterPassword)
  const afterCode = await browser.submit(codePage, '/code', { code: user.oneTimeCode })
  return browser.follow(afterCode)
}
