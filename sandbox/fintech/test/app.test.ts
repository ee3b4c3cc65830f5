/**
 * The fintech's back end through `inject`, with banks that are down or have ended the user's access:
 * every answer is a problem document a person can act on, and bad input is a 4xx, never a 500.
 */
import { describe as describeRule } from '@sandbox/fapi/errors/describe'
import { afterEach, describe, expect, test } from 'vitest'
import { buildFintech, type Fintech } from '../src/app.js'
import type { Tokens } from '../src/client/authorization.js'
import {
  BankCertificateError,
  BankUnavailableError,
  type HttpsTransport,
} from '../src/client/https.js'
import { fintechRules } from '../src/rules.js'
import type { Connection } from '../src/store/sessions.js'
import { json, metadataFor, testProvider } from './fixtures.js'

const provider = testProvider({ senderConstraint: 'mtls' })
const metadata = metadataFor()

let fintech: Fintech | undefined
afterEach(async () => {
  await fintech?.app.close()
  fintech = undefined
})

async function build(transport: HttpsTransport) {
  fintech = await buildFintech(
    { providers: [provider], redirectUris: ['https://fintech.test/callback'] },
    { transport: () => transport },
  )
  return fintech
}

/** A browser with a session: its cookie and anti-forgery token. */
async function browser(app: Fintech) {
  const res = await app.app.inject({ method: 'GET', url: '/api/session' })
  const cookie = String(res.headers['set-cookie']).split(';', 1)[0] ?? ''
  const session = app.sessions.get(cookie.split('=')[1])
  if (session === undefined) throw new Error('no session')
  return { cookie, csrf: res.json().csrfToken as string, session }
}

function connection(tokens: Partial<Tokens> = {}): Connection {
  return {
    id: 'c1',
    bankId: 'aurora',
    status: 'active',
    connectedAt: 0,
    tokens: {
      accessToken: 'old-access',
      accessExpiresAt: undefined,
      refreshToken: 'rt',
      scope: 'accounts',
      grantId: undefined,
      authorizationDetails: undefined,
      ...tokens,
    },
    actions: ['list_accounts', 'read_balances'],
    accounts: [],
    expiresAt: undefined,
  }
}

describe('errors a user understands', () => {
  test('a bank that does not answer: 502 with what to do, nothing stored', async () => {
    const app = await build(async (url) => {
      throw new BankUnavailableError(url, {
        cause: Object.assign(new Error(), { code: 'ECONNREFUSED' }),
      })
    })
    const { cookie, csrf, session } = await browser(app)
    const res = await app.app.inject({
      method: 'POST',
      url: '/api/connections',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      payload: { bankId: 'aurora', actions: ['read_balances'], durationDays: 30 },
    })
    expect(res.statusCode).toBe(502)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({
      title: 'Aurora Bank is unavailable',
      action: 'retry',
      bankId: 'aurora',
    })
    expect(session.pending.size).toBe(0)
  })

  test('a bank whose certificate is not trusted: nothing is sent, 502 says why (CL-15)', async () => {
    const app = await build(async (url) => {
      throw new BankCertificateError(url, {
        cause: Object.assign(new Error(), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
      })
    })
    const { cookie, csrf } = await browser(app)
    const res = await app.app.inject({
      method: 'POST',
      url: '/api/connections',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      payload: { bankId: 'aurora', actions: [], durationDays: 30 },
    })
    expect(res.statusCode).toBe(502)
    expect(res.json()).toMatchObject({
      title: 'Aurora Bank could not prove who it is',
      bankId: 'aurora',
    })
  })

  test('access the bank ended: refreshed once, then the connection ends with an offer to reconnect', async () => {
    const calls: string[] = []
    const app = await build(async (url) => {
      calls.push(url)
      if (url.endsWith('/.well-known/openid-configuration')) return json(200, metadata)
      if (url.endsWith('/jwks')) return json(200, { keys: [] })
      if (url.endsWith('/token'))
        return json(400, { error: 'invalid_grant', error_description: 'revoked' })
      return json(401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' })
    })
    const { cookie, session } = await browser(app)
    session.connections.set('c1', connection())
    const res = await app.app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      banks: [],
      problems: [
        {
          bankId: 'aurora',
          action: 'reconnect',
          title: 'Your connection to Aurora Bank has ended',
        },
      ],
    })
    expect(calls.filter((url) => url.endsWith('/token'))).toHaveLength(1)
    expect(session.connections.get('c1')).toMatchObject({ status: 'ended' })
  })

  test('an expired access token is refreshed before the call, and the new one used', async () => {
    const authorizations: string[] = []
    const app = await build(async (url, init = {}) => {
      if (url.endsWith('/.well-known/openid-configuration')) return json(200, metadata)
      if (url.endsWith('/jwks')) return json(200, { keys: [] })
      if (url.endsWith('/token')) {
        return json(200, { access_token: 'new-access', token_type: 'Bearer', expires_in: 300 })
      }
      authorizations.push(String(init.headers?.authorization))
      if (url.endsWith('/accounts')) return json(200, { accounts: [] })
      return json(404, {})
    })
    const { cookie, session } = await browser(app)
    session.connections.set('c1', connection({ accessExpiresAt: 1 }))
    const res = await app.app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie } })
    expect(res.json()).toMatchObject({ banks: [{ bankId: 'aurora', accounts: [] }], problems: [] })
    expect(authorizations).toEqual(['Bearer new-access'])
    // The bank did not rotate the refresh token: the old one stays (FAPI 2.0 SP 5.3.2.1-5).
    expect(session.connections.get('c1')?.tokens.refreshToken).toBe('rt')
  })
})

test('a refresh answered with the wrong token_type is a 502 naming the rule (CL-07)', async () => {
  const app = await build(async (url) => {
    if (url.endsWith('/.well-known/openid-configuration')) return json(200, metadata)
    if (url.endsWith('/jwks')) return json(200, { keys: [] })
    if (url.endsWith('/token')) return json(200, { access_token: 'x', token_type: 'DPoP' })
    return json(404, {})
  })
  const { cookie, csrf, session } = await browser(app)
  session.connections.set('c1', connection())
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/connections/c1/refresh',
    headers: { cookie, 'x-csrf-token': csrf },
  })
  expect(res.statusCode).toBe(502)
  expect(res.json().detail).toBe(describeRule(fintechRules.tokenBinding, "got 'DPoP', not bearer"))
})

describe('bad input is a 4xx problem, never a 500', () => {
  const cases: Array<
    [string, { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: string; type?: string }]
  > = [
    [
      'an unknown bank',
      {
        method: 'POST',
        url: '/api/connections',
        payload: '{"bankId":"nope","actions":[],"durationDays":30}',
      },
    ],
    ['a body that is not JSON', { method: 'POST', url: '/api/connections', payload: '{"bankId":' }],
    [
      'a form body',
      {
        method: 'POST',
        url: '/api/connections',
        payload: 'bankId=aurora',
        type: 'application/x-www-form-urlencoded',
      },
    ],
    [
      'a duration not offered',
      {
        method: 'POST',
        url: '/api/connections',
        payload: '{"bankId":"aurora","actions":[],"durationDays":3}',
      },
    ],
    [
      'an amount with three decimals',
      {
        method: 'POST',
        url: '/api/payments',
        payload:
          '{"bankId":"aurora","amount":"1.234","creditorName":"X","creditorAccount":{"scheme":"IBAN","iban":"DE89370400440532013000"}}',
      },
    ],
    [
      'a zero amount',
      {
        method: 'POST',
        url: '/api/payments',
        payload:
          '{"bankId":"aurora","amount":"0","creditorName":"X","creditorAccount":{"scheme":"IBAN","iban":"DE89370400440532013000"}}',
      },
    ],
    ['an unknown payment', { method: 'GET', url: '/api/payments/nope' }],
    ['an unknown connection', { method: 'DELETE', url: '/api/connections/nope' }],
    [
      'a huge search text',
      {
        method: 'GET',
        url: `/api/connections/c1/accounts/a1/transactions?text=${'x'.repeat(500)}`,
      },
    ],
  ]
  test.each(cases)('%s', async (_, request) => {
    const app = await build(async (url) => {
      throw new Error(`no bank call expected, got ${url}`)
    })
    const { cookie, csrf } = await browser(app)
    const res = await app.app.inject({
      method: request.method,
      url: request.url,
      headers: {
        cookie,
        'x-csrf-token': csrf,
        ...(request.payload === undefined
          ? {}
          : { 'content-type': request.type ?? 'application/json' }),
      },
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    })
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400)
    expect(res.statusCode, res.body).toBeLessThan(500)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json().title).toEqual(expect.any(String))
  })

  test('a repeated callback parameter: back to the app with a notice (RFC 6749 section 3.1)', async () => {
    const app = await build(async (url) => {
      throw new Error(`no bank call expected, got ${url}`)
    })
    const { cookie } = await browser(app)
    const res = await app.app.inject({
      method: 'GET',
      url: '/callback?state=a&state=b',
      headers: { cookie },
    })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/')
    const session = await app.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { cookie },
    })
    expect(session.json().notice).toMatchObject({ kind: 'error', title: 'Check your input' })
  })
})
