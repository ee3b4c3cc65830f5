/**
 * Bad input gets a clear 4xx problem and changes nothing; never a 500 (DESIGN principle 3).
 * Each request here carries a valid token and proof, so only the input itself is wrong.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  buildTestApi,
  call,
  DPOP_BANK,
  type HolderKey,
  holderKey,
  insertGrant,
  issueToken,
  type TestApi,
} from './fixtures.js'

let api: TestApi
let holder: HolderKey
let token: string
let accountId: string

beforeAll(async () => {
  api = await buildTestApi()
  holder = await holderKey()
  const alice = await api.customerOf(DPOP_BANK, 'alice')
  const [account] = await api.bankOf(DPOP_BANK).store.accounts.listForCustomer(alice)
  accountId = account?.id ?? ''
  const grant = await insertGrant(api, DPOP_BANK, alice, [
    {
      type: 'account_information',
      actions: ['list_accounts', 'read_balances', 'read_transactions', 'read_payees'],
      accounts: [accountId],
    },
    {
      type: 'payment_initiation',
      instructedAmount: { amount: '1.00', currency: 'GBP' },
      creditorName: 'Someone',
      creditorAccount: { scheme: 'IBAN', iban: 'GB33BUKB20201555555555' },
    },
  ])
  token = await issueToken(api, DPOP_BANK, { grant, holder })
}, 120_000)
afterAll(() => api?.close())

const GETS = [
  () => `/accounts/${'a'.repeat(65)}`,
  () => '/accounts/%00%ff',
  () => `/accounts/${accountId}/transactions?limit=-1`,
  () => `/accounts/${accountId}/transactions?limit=99999999999999999999`,
  () => `/accounts/${accountId}/transactions?after=${'%ff'.repeat(30)}`,
  () => `/accounts/${accountId}/transactions?after=${Buffer.from('["x"]').toString('base64url')}`,
  () =>
    `/accounts/${accountId}/transactions?after=${Buffer.from('["2026-01-01T00:00:00Z","tx_x"]').toString('base64url')}`,
  () => `/accounts/${accountId}/transactions?bookedFrom=2026-13-45`,
  () => `/accounts/${accountId}/transactions?bookedTo=${'9'.repeat(40)}`,
  () => `/accounts/${accountId}/transactions?text=${'x'.repeat(500)}`,
  () => `/accounts/${accountId}/transactions?limit=1&limit=2`,
  () => '/payments/%20',
  () => `/payments/${'p'.repeat(65)}`,
  () => '/nowhere',
]

test.each(GETS.map((path, index) => [index, path] as const))(
  'GET #%i: a 4xx problem, never a 500',
  async (_index, path) => {
    const res = await call(api, DPOP_BANK, { path: path(), token, holder })
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400)
    expect(res.statusCode, res.body).toBeLessThan(500)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json().detail).toEqual(expect.any(String))
  },
)

const BODIES: readonly [string, string, string][] = [
  ['truncated JSON', 'application/json', '{"instructedAmount":{"amount":"1.00"'],
  ['a JSON array', 'application/json', '[]'],
  ['JSON null', 'application/json', 'null'],
  ['a JSON string', 'application/json', '"pay"'],
  ['an empty body', 'application/json', ''],
  ['20 KiB of JSON', 'application/json', JSON.stringify({ creditorName: 'x'.repeat(20 * 1024) })],
  ['deeply nested JSON', 'application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ['a form', 'application/x-www-form-urlencoded', 'amount=1.00'],
  ['no content type', '', '{}'],
  [
    'a prototype pollution attempt',
    'application/json',
    '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
  ],
]

test.each(BODIES)(
  'POST /payments with %s: a 4xx problem, and no payment',
  async (_name, type, body) => {
    const res = await call(api, DPOP_BANK, {
      method: 'POST',
      path: '/payments',
      token,
      holder,
      headers: {
        'idempotency-key': randomUUID(),
        ...(type === '' ? {} : { 'content-type': type }),
      },
      body,
    })
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400)
    expect(res.statusCode, res.body).toBeLessThan(500)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    const payments = await api
      .databaseOf(DPOP_BANK)
      .get<{ n: number }>('SELECT count(*) AS n FROM payments')
    expect(payments?.n).toBe(0)
  },
)
