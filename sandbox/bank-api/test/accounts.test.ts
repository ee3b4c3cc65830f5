/**
 * Account information through a token: only the consented accounts and kinds of data, 403 for
 * the rest of the customer's, 404 for anyone else's; transactions filtered and paged.
 */
import { rules } from '@sandbox/fapi/errors/rules'
import type { Transaction } from '@sandbox/spec-types/banking/transaction'
import type { AccountRecord } from '@sandbox/store/repositories/accounts'
import type { GrantRecord } from '@sandbox/store/repositories/grants'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { apiRules } from '../src/rules.js'
import {
  buildTestApi,
  call,
  DPOP_BANK,
  type HolderKey,
  holderKey,
  insertGrant,
  issueToken,
  MTLS_BANK,
  type TestApi,
} from './fixtures.js'

const ALL_ACTIONS = ['list_accounts', 'read_balances', 'read_transactions', 'read_payees']

let api: TestApi
let holder: HolderKey
let alice: string
let aliceAccounts: AccountRecord[]
let consented: AccountRecord
let unconsented: AccountRecord
let bobsAccount: AccountRecord
let token: string

async function tokenFor(actions: string[], accounts: string[], customerId = alice) {
  const grant: GrantRecord = await insertGrant(api, DPOP_BANK, customerId, [
    { type: 'account_information', actions, accounts },
  ])
  return issueToken(api, DPOP_BANK, { grant, holder })
}

const get = (path: string, as = token) => call(api, DPOP_BANK, { path, token: as, holder })

beforeAll(async () => {
  api = await buildTestApi()
  holder = await holderKey()
  alice = await api.customerOf(DPOP_BANK, 'alice')
  const store = api.bankOf(DPOP_BANK).store
  aliceAccounts = await store.accounts.listForCustomer(alice)
  const current = aliceAccounts.find((a) => a.type === 'current')
  const other = aliceAccounts.find((a) => a !== current)
  const [bobs] = await store.accounts.listForCustomer(await api.customerOf(DPOP_BANK, 'bob'))
  if (current === undefined || other === undefined || bobs === undefined) throw new Error('seed')
  consented = current
  unconsented = other
  bobsAccount = bobs
  token = await tokenFor(ALL_ACTIONS, [consented.id])
}, 120_000)
afterAll(() => api?.close())

function expectProblem(
  res: Awaited<ReturnType<typeof get>>,
  rule: { id: string; status: number; title: string },
) {
  expect(res.statusCode).toBe(rule.status)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.json()).toMatchObject({
    type: `/problems/${rule.id.toLowerCase()}`,
    title: rule.title,
    status: rule.status,
    rule: rule.id,
  })
}

describe('accounts', () => {
  test('lists only the consented accounts, with their identification', async () => {
    const res = await get('/accounts')
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    const { accounts } = res.json()
    expect(accounts.map((a: { accountId: string }) => a.accountId)).toEqual([consented.id])
    expect(accounts[0]).toMatchObject({
      type: 'current',
      currency: consented.currency,
      identification: { scheme: 'SortCodeAccountNumber', sortCode: consented.sortCode },
    })
  })

  test('reads one consented account', async () => {
    const res = await get(`/accounts/${consented.id}`)
    expect(res.statusCode).toBe(200)
    expect(res.json().accountId).toBe(consented.id)
  })

  test("the customer's unconsented account is 403 with an insufficient_scope challenge (RS-05)", async () => {
    const res = await get(`/accounts/${unconsented.id}/balances`)
    expectProblem(res, apiRules.accountNotGranted)
    expect(res.headers['www-authenticate']).toMatch(
      /^DPoP error="insufficient_scope", error_description=".*RFC 9396 section 9.*", scope="accounts"$/,
    )
  })

  test('the trace event of a refusal records the rule it broke', async () => {
    const interactionId = crypto.randomUUID()
    await call(api, DPOP_BANK, {
      path: `/accounts/${unconsented.id}`,
      token,
      holder,
      headers: { 'x-fapi-interaction-id': interactionId },
    })
    const event = api.trace.recent().find((e) => e.interactionId === interactionId)
    expect(event?.http?.status).toBe(403)
    expect(event?.checks.at(-1)).toMatchObject({
      ruleId: apiRules.accountNotGranted.id,
      passed: false,
      detail: `account ${unconsented.id} was not consented for list_accounts`,
    })
  })

  test("another customer's account and an unknown id are both 404, alike (RS-API-01)", async () => {
    const theirs = await get(`/accounts/${bobsAccount.id}`)
    const unknown = await get('/accounts/acc_does_not_exist')
    expectProblem(theirs, apiRules.notFound)
    expectProblem(unknown, apiRules.notFound)
    expect(theirs.json().detail.replace(bobsAccount.id, 'X')).toBe(
      unknown.json().detail.replace('acc_does_not_exist', 'X'),
    )
  })

  test('a kind of data not consented is 403 (RS-05)', async () => {
    const listOnly = await tokenFor(['list_accounts'], [consented.id])
    for (const path of ['balances', 'transactions', 'payees']) {
      const res = await get(`/accounts/${consented.id}/${path}`, listOnly)
      expectProblem(res, apiRules.dataKindNotGranted)
      expect(res.json().detail).toContain(`FAPI 2.0 SP 5.3.4-4`)
    }
    const balancesOnly = await tokenFor(['read_balances'], [consented.id])
    expectProblem(await get('/accounts', balancesOnly), apiRules.dataKindNotGranted)
  })

  test('a detail past its own expiresAt grants nothing, though the grant lives on (RS-05)', async () => {
    const now = api.bankOf(DPOP_BANK).now()
    const grant = await insertGrant(api, DPOP_BANK, alice, [
      {
        type: 'account_information',
        actions: ALL_ACTIONS,
        accounts: [consented.id],
        expiresAt: new Date((now + 60) * 1000).toISOString(),
      },
    ])
    const expiring = await issueToken(api, DPOP_BANK, { grant, holder })
    expect((await get('/accounts', expiring)).statusCode).toBe(200)
    api.clock.advance(61)
    try {
      expectProblem(await get('/accounts', expiring), apiRules.dataKindNotGranted)
    } finally {
      api.clock.advance(-61)
    }
  })

  test('a payment token cannot read accounts (RS-05)', async () => {
    const grant = await insertGrant(api, DPOP_BANK, alice, [
      {
        type: 'payment_initiation',
        instructedAmount: { amount: '1.00', currency: 'GBP' },
        creditorName: 'Someone',
        creditorAccount: {
          scheme: 'SortCodeAccountNumber',
          sortCode: '200000',
          accountNumber: '12345678',
        },
      },
    ])
    const paymentToken = await issueToken(api, DPOP_BANK, { grant, holder })
    expectProblem(await get('/accounts', paymentToken), apiRules.dataKindNotGranted)
  })
})

describe('balances', () => {
  test('booked and available, exact decimals that reconcile with the running balance', async () => {
    const res = await get(`/accounts/${consented.id}/balances`)
    expect(res.statusCode).toBe(200)
    const { balances } = res.json()
    expect(balances.map((b: { type: string }) => b.type)).toEqual(['booked', 'available'])
    for (const balance of balances) {
      expect(balance.amount.amount).toMatch(/^\d+\.\d{2}$/)
      expect(balance.amount.currency).toBe(consented.currency)
    }
    const page = await get(`/accounts/${consented.id}/transactions?status=booked&limit=1`)
    const [latest] = page.json().transactions as Transaction[]
    expect(latest?.runningBalance).toEqual({
      amount: balances[0].amount.amount,
      currency: consented.currency,
      creditDebitIndicator: balances[0].creditDebitIndicator,
    })
  })
})

describe('transactions', () => {
  const path = () => `/accounts/${consented.id}/transactions`

  test('newest first, 100 at most, with next and prev links that walk the same pages', async () => {
    const first = await get(path())
    expect(first.statusCode).toBe(200)
    const body = first.json()
    expect(body.transactions).toHaveLength(100)
    const times = body.transactions.map((t: Transaction) => t.bookingDateTime)
    expect([...times].sort().reverse()).toEqual(times)
    expect(body.links.prev).toBeUndefined()
    expect(body.links.self).toBe(`${api.bankOf(DPOP_BANK).baseUrl}${path()}`)
    const nextUrl = new URL(body.links.next)
    const second = await get(`${nextUrl.pathname.replace(`/${DPOP_BANK}`, '')}${nextUrl.search}`)
    const secondBody = second.json()
    expect(secondBody.transactions[0].bookingDateTime <= times[99]).toBe(true)
    const prevUrl = new URL(secondBody.links.prev)
    const back = await get(`${prevUrl.pathname.replace(`/${DPOP_BANK}`, '')}${prevUrl.search}`)
    expect(back.json().transactions.map((t: Transaction) => t.transactionId)).toEqual(
      body.transactions.map((t: Transaction) => t.transactionId),
    )
  })

  test('filters by booking dates, status, direction and text, and keep them in the links', async () => {
    const query =
      'bookedFrom=2026-06-01&bookedTo=2026-07-01&creditDebit=debit&status=booked&limit=5'
    const res = await get(`${path()}?${query}`)
    expect(res.statusCode).toBe(200)
    const { transactions, links } = res.json()
    expect(transactions.length).toBeGreaterThan(0)
    for (const t of transactions as Transaction[]) {
      expect(t.bookingDateTime >= '2026-06-01' && t.bookingDateTime < '2026-07-01').toBe(true)
      expect(t.creditDebitIndicator).toBe('debit')
      expect(t.status).toBe('booked')
    }
    expect(links.next).toContain('creditDebit=debit')
    const named = (transactions as Transaction[]).find((t) => t.merchant?.name)?.merchant?.name
    if (named !== undefined) {
      const search = await get(
        `${path()}?text=${encodeURIComponent(named.slice(0, 5).toLowerCase())}`,
      )
      expect(search.statusCode).toBe(200)
      expect(search.json().transactions.length).toBeGreaterThan(0)
    }
  })

  test.each([
    ['a cursor the bank never issued', 'after=bm90LWEtY3Vyc29y'],
    ['a huge page size', 'limit=1000'],
    ['a zero page size', 'limit=0'],
    ['a page size that is not a number', 'limit=ten'],
    ['a date that is not one', 'bookedFrom=yesterday-ish'],
    ['an unknown status', 'status=void'],
    ['after and before together', 'after=abc&before=abc'],
  ])('%s is a 400 problem, never a 500 (RS-API-04)', async (_name, query) => {
    const res = await get(`${path()}?${query}`)
    expectProblem(res, apiRules.malformedRequest)
  })
})

describe('payees', () => {
  test("the customer's payees through a consented account", async () => {
    const res = await get(`/accounts/${consented.id}/payees`)
    expect(res.statusCode).toBe(200)
    for (const payee of res.json().payees) {
      expect(payee.accountId).toBe(consented.id)
      expect(payee.account.scheme).toEqual(expect.any(String))
    }
  })
})

describe('the mTLS bank', () => {
  test('serves the same APIs to the bound certificate', async () => {
    const customer = await api.customerOf(MTLS_BANK, 'alice')
    const [account] = await api.bankOf(MTLS_BANK).store.accounts.listForCustomer(customer)
    const grant = await insertGrant(api, MTLS_BANK, customer, [
      { type: 'account_information', actions: ALL_ACTIONS, accounts: [account?.id ?? ''] },
    ])
    const mtlsToken = await issueToken(api, MTLS_BANK, { grant, certificateSeed: 3 })
    const res = await call(api, MTLS_BANK, {
      path: `/accounts/${account?.id}/balances`,
      token: mtlsToken,
      certificateSeed: 3,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().balances[0].amount.currency).toBe(account?.currency)
  })

  test('the token check comes before the query check (RS-04 before RS-API-04)', async () => {
    const res = await call(api, MTLS_BANK, {
      path: '/accounts/x/transactions?limit=1000',
      token: 'not-a-token',
      certificateSeed: 3,
    })
    expect(res.statusCode).toBe(401)
    expect(res.json().rule).toBe(rules.accessTokenSignature.id)
  })
})
