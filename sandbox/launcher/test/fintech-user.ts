/**
 * A person using the demo fintech, for its service tests: the fintech's back end reached through
 * `inject` (its session cookie kept, its anti-forgery token echoed), the bank's sign-in and consent
 * pages through a real browser-like client over TLS (page-browser.ts).
 */
import type { SandboxServer } from '@sandbox/service-kit/server'
import { expect } from 'vitest'
import { headerOf } from './https-client.js'
import { checkboxValues, PageBrowser, selectedOption } from './page-browser.js'

/** One published sandbox login (README, "Banks and test users"). */
export const ALICE = { username: 'alice', password: 'alice-sandbox', oneTimeCode: '246810' }

export interface InjectedResponse {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
  json<T = Record<string, unknown>>(): T
}

/** The values of the radio buttons named `name`. */
function radioValues(html: string, name: string): string[] {
  return [...html.matchAll(/<input [^>]*type="radio"[^>]*>/g)]
    .map(([input]) => input)
    .filter((input) => input.includes(` name="${name}"`))
    .map((input) => /\svalue="([^"]*)"/.exec(input)?.[1] ?? '')
}

export class FintechUser {
  private cookie: string | undefined
  private csrfToken = ''
  readonly bankPages: PageBrowser
  readonly app: SandboxServer
  /** The fintech's origin as the browser uses it (`https://127.0.0.1:port`). */
  readonly origin: string

  constructor(app: SandboxServer, origin: string, ca: string) {
    this.app = app
    this.origin = origin
    this.bankPages = new PageBrowser(ca)
  }

  /** Calls the fintech as its front end does: same origin, session cookie, anti-forgery header. */
  async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    options: { csrf?: boolean } = {},
  ): Promise<InjectedResponse> {
    const res = await this.app.inject({
      method,
      url: path,
      headers: {
        host: new URL(this.origin).host,
        ...(this.cookie === undefined ? {} : { cookie: this.cookie }),
        ...(method !== 'GET' && options.csrf !== false ? { 'x-csrf-token': this.csrfToken } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
    const set = res.headers['set-cookie']
    const line = Array.isArray(set) ? set[0] : set
    if (line !== undefined) this.cookie = line.split(';', 1)[0]
    return res as unknown as InjectedResponse
  }

  /** Loads the session (as the page does first) and returns the notice left for it, if any. */
  async session(): Promise<Record<string, unknown>> {
    const res = await this.call('GET', '/api/session')
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    this.csrfToken = String(body.csrfToken)
    return body
  }

  /** Starts connecting `bankId`: the bank's authorization URL the page would go to. */
  async startConnect(
    bankId: string,
    actions = ['read_balances', 'read_transactions', 'read_payees'],
  ) {
    if (this.csrfToken === '') await this.session()
    const res = await this.call('POST', '/api/connections', { bankId, actions, durationDays: 30 })
    expect(res.statusCode, res.body).toBe(200)
    return String(res.json().redirectTo)
  }

  /**
   * At the bank: sign in as alice (password, then one-time code), choose accounts (all offered
   * unless `accounts` picks) and the payer where asked, approve or deny. Returns the callback URL
   * the bank sends the browser to.
   */
  async atBank(
    authorizationUrl: string,
    options: { decision?: 'approve' | 'deny'; accounts?: (offered: string[]) => string[] } = {},
  ): Promise<string> {
    const pages = this.bankPages
    const signIn = await pages.get(authorizationUrl)
    expect(signIn.status, signIn.body).toBe(200)
    const codePage = await pages.follow(
      await pages.submit(signIn, '/password', {
        username: ALICE.username,
        password: ALICE.password,
      }),
    )
    const consent = await pages.follow(
      await pages.submit(codePage, '/code', { code: ALICE.oneTimeCode }),
    )
    expect(consent.status, consent.body).toBe(200)
    expect(consent.body).toContain('Demo Fintech')
    const offered = checkboxValues(consent.body, 'accounts')
    const payers: Record<string, string> = {}
    for (const [, name = ''] of consent.body.matchAll(/type="radio" name="(payer-\d+)"/g)) {
      payers[name] = radioValues(consent.body, name)[0] ?? ''
    }
    const decided = await pages.submit(consent, '/consent', {
      decision: options.decision ?? 'approve',
      ...(offered.length === 0 ? {} : { accounts: options.accounts?.(offered) ?? offered }),
      ...payers,
      ...(selectedOption(consent.body, 'duration') === undefined
        ? {}
        : { duration: selectedOption(consent.body, 'duration') ?? '' }),
    })
    expect(decided.status, decided.body).toBe(303)
    const location = headerOf(decided, 'location') ?? ''
    expect(location.startsWith(`${this.origin}/callback?`), location).toBe(true)
    return location
  }

  /**
   * Pays Northwind Energy (a UK sort code account) `amount` from aurora, approved at the bank:
   * the callback's answer, whose Location names the payment.
   */
  async pay(amount: string, reference: string): Promise<InjectedResponse> {
    if (this.csrfToken === '') await this.session()
    const started = await this.call('POST', '/api/payments', {
      bankId: 'aurora',
      amount,
      creditorName: 'Northwind Energy',
      creditorAccount: {
        scheme: 'SortCodeAccountNumber',
        sortCode: '200000',
        accountNumber: '55779911',
      },
      reference,
    })
    expect(started.statusCode, started.body).toBe(200)
    return this.callback(await this.atBank(String(started.json().redirectTo)))
  }

  /** The browser arriving at the fintech's callback with the bank's response. */
  callback(location: string): Promise<InjectedResponse> {
    const url = new URL(location)
    return this.call('GET', `${url.pathname}${url.search}`)
  }

  /** Connects `bankId` end to end; returns the callback's answer. */
  async connect(bankId: string): Promise<InjectedResponse> {
    const location = await this.atBank(await this.startConnect(bankId))
    return this.callback(location)
  }
}
