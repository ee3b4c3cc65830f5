/**
 * Payment initiation: exactly the consented payment, once, idempotently; its lifecycle over time;
 * the debtor's balances after it; and the concurrency the issue names.
 */
import { randomUUID } from 'node:crypto'
import type { PaymentInitiation } from '@sandbox/spec-types/rar/payment-initiation'
import { type AccountRecord, accountIdentificationOf } from '@sandbox/store/repositories/accounts'
import { PAYMENT_REJECTION_REASONS } from '@sandbox/store/repositories/payments'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { apiRules } from '../src/rules.js'
import {
  buildTestApi,
  CLIENT_ID,
  call,
  DPOP_BANK,
  type HolderKey,
  holderKey,
  insertGrant,
  issueToken,
  MTLS_BANK,
  OTHER_CLIENT_ID,
  type TestApi,
} from './fixtures.js'

let api: TestApi
let holder: HolderKey
let alice: string
let payer: AccountRecord

const CREDITOR = {
  creditorName: 'Northwind Energy',
  creditorAccount: {
    scheme: 'SortCodeAccountNumber',
    sortCode: '200000',
    accountNumber: '55779911',
  },
} as const

function instruction(amount: string, extra: Partial<PaymentInitiation> = {}) {
  return {
    instructedAmount: { amount, currency: 'GBP' },
    ...CREDITOR,
    remittanceInformationUnstructured: 'Invoice 42',
    ...extra,
  }
}

/** A consent to pay `amount` from `from`, as the consent page records it, and its token. */
async function paymentConsent(amount: string, from: AccountRecord = payer, bankId = DPOP_BANK) {
  const detail = {
    type: 'payment_initiation',
    ...instruction(amount),
    debtorAccount: accountIdentificationOf(from),
  }
  const grant = await insertGrant(api, bankId, from.customerId, [detail])
  const token = await issueToken(api, bankId, { grant, holder })
  return { grant, token }
}

const pay = (token: string, body: unknown, key: string | null = randomUUID()) =>
  call(api, DPOP_BANK, {
    method: 'POST',
    path: '/payments',
    token,
    holder,
    body,
    headers: key === null ? {} : { 'idempotency-key': key },
  })

const read = (token: string, id: string) =>
  call(api, DPOP_BANK, { path: `/payments/${id}`, token, holder })

async function bookedBalance(accountId: string): Promise<number> {
  const balances = await api.bankOf(DPOP_BANK).store.transactions.balances(accountId)
  return balances?.booked ?? Number.NaN
}

/** Moves the clock past every lifecycle delay and applies what fell due. */
async function settleEverything() {
  api.clock.advance(3)
  await api.bankOf(DPOP_BANK).store.payments.advanceDue(api.bankOf(DPOP_BANK).now(), 1000)
}

function expectProblem(res: Awaited<ReturnType<typeof pay>>, rule: { id: string; status: number }) {
  expect(res.statusCode).toBe(rule.status)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.json()).toMatchObject({ status: rule.status, rule: rule.id })
}

beforeAll(async () => {
  api = await buildTestApi()
  holder = await holderKey()
  alice = await api.customerOf(DPOP_BANK, 'alice')
  const accounts = await api.bankOf(DPOP_BANK).store.accounts.listForCustomer(alice)
  const current = accounts.find((a) => a.type === 'current' && a.currency === 'GBP')
  if (current === undefined) throw new Error('seed: alice has no GBP current account')
  payer = current
}, 120_000)
afterAll(() => api?.close())

describe('initiation', () => {
  test('the consented payment is created pending, with its Location', async () => {
    const { token } = await paymentConsent('12.30')
    const res = await pay(token, instruction('12.30'))
    expect(res.statusCode).toBe(201)
    const payment = res.json()
    expect(payment).toMatchObject({
      status: 'pending',
      instructedAmount: { amount: '12.30', currency: 'GBP' },
      creditorName: CREDITOR.creditorName,
      debtorAccount: accountIdentificationOf(payer),
    })
    expect(res.headers.location).toBe(
      `${api.bankOf(DPOP_BANK).baseUrl}/payments/${payment.paymentId}`,
    )
  })

  test('the same amount written differently is the same amount (exact decimals)', async () => {
    const { token } = await paymentConsent('12.30')
    const res = await pay(token, instruction('12.3'))
    expect(res.statusCode).toBe(201)
    expect(res.json().instructedAmount.amount).toBe('12.30')
  })

  test.each([
    ['a larger amount', instruction('100.00')],
    [
      'another currency',
      { ...instruction('12.30'), instructedAmount: { amount: '12.30', currency: 'EUR' } },
    ],
    ['another creditor name', { ...instruction('12.30'), creditorName: 'Mallory Ltd' }],
    [
      'another creditor account',
      {
        ...instruction('12.30'),
        creditorAccount: { ...CREDITOR.creditorAccount, accountNumber: '11111111' },
      },
    ],
    [
      'another remittance',
      instruction('12.30', { remittanceInformationUnstructured: 'Invoice 43' }),
    ],
    [
      'a requested date not consented',
      instruction('12.30', { requestedExecutionDate: '2026-12-24' }),
    ],
    [
      'another debtor account',
      instruction('12.30', { debtorAccount: { scheme: 'IBAN', iban: 'GB33BUKB20201555555555' } }),
    ],
  ])('%s than consented is 403 and makes no payment (RS-13)', async (_name, body) => {
    const { token } = await paymentConsent('12.30')
    const res = await pay(token, body)
    expectProblem(res, apiRules.paymentMismatch)
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"')
    // Nothing was made: the consent still initiates its payment.
    expect((await pay(token, instruction('12.30'))).statusCode).toBe(201)
  })

  test('a consent to one payment initiates one: a second key is 403 (RS-13)', async () => {
    const { token } = await paymentConsent('5.00')
    const first = await pay(token, instruction('5.00'))
    expect(first.statusCode).toBe(201)
    const second = await pay(token, instruction('5.00'))
    expectProblem(second, apiRules.paymentAlreadyExecuted)
    expect(second.json().detail).toContain(first.json().paymentId)
  })

  test('an account information token cannot pay (RS-05)', async () => {
    const grant = await insertGrant(api, DPOP_BANK, alice, [
      { type: 'account_information', actions: ['list_accounts'], accounts: [payer.id] },
    ])
    const res = await pay(await issueToken(api, DPOP_BANK, { grant, holder }), instruction('1.00'))
    expectProblem(res, apiRules.paymentNotGranted)
    expect(res.headers['www-authenticate']).toContain('scope="payments"')
  })

  test.each([
    ['no JSON at all', '{"instructedAmount":', 'application/json'],
    ['a body that is not the schema', JSON.stringify({ amount: 5 }), 'application/json'],
    [
      'a float amount',
      JSON.stringify({
        ...instruction('1.00'),
        instructedAmount: { amount: 1.5, currency: 'GBP' },
      }),
      'application/json',
    ],
  ])('%s is a 400 problem (RS-API-04)', async (_name, payload, type) => {
    const { token } = await paymentConsent('1.00')
    const res = await call(api, DPOP_BANK, {
      method: 'POST',
      path: '/payments',
      token,
      holder,
      headers: { 'content-type': type, 'idempotency-key': randomUUID() },
      body: payload,
    })
    expectProblem(res, apiRules.malformedRequest)
  })

  test('another content type is 415 (RS-API-05)', async () => {
    const { token } = await paymentConsent('1.00')
    const res = await call(api, DPOP_BANK, {
      method: 'POST',
      path: '/payments',
      token,
      holder,
      headers: { 'content-type': 'text/plain', 'idempotency-key': randomUUID() },
      body: 'pay me',
    })
    expectProblem(res, apiRules.unsupportedMediaType)
  })
})

describe('idempotency', () => {
  test('no Idempotency-Key is 400 and makes nothing (RS-API-02)', async () => {
    const { token } = await paymentConsent('2.00')
    expectProblem(await pay(token, instruction('2.00'), null), apiRules.idempotencyKeyMissing)
    expect((await pay(token, instruction('2.00'))).statusCode).toBe(201)
  })

  test('the same key and body return the same payment, with one debit', async () => {
    const { token } = await paymentConsent('3.00')
    const key = `"${randomUUID()}"`
    const first = await pay(token, instruction('3.00'), key)
    const again = await pay(token, instruction('3.00'), key)
    expect(first.statusCode).toBe(201)
    expect(again.statusCode).toBe(201)
    expect(again.json().paymentId).toBe(first.json().paymentId)
  })

  test('the same key with another body is 422 (RS-API-03)', async () => {
    const { token } = await paymentConsent('4.00')
    const key = randomUUID()
    expect((await pay(token, instruction('4.00'), key)).statusCode).toBe(201)
    const res = await pay(
      token,
      { ...instruction('4.00'), remittanceInformationUnstructured: 'x' },
      key,
    )
    // A different body that also breaks the consent is refused by the consent first.
    expectProblem(res, apiRules.paymentMismatch)
    const { token: other } = await paymentConsent('4.00')
    const reused = await pay(other, instruction('4.00'), key)
    expect(reused.statusCode).toBe(201)
  })

  test('a key reused with another body under the same consent is 422 (RS-API-03)', async () => {
    const { token } = await paymentConsent('4.50')
    const key = randomUUID()
    expect((await pay(token, instruction('4.50'), key)).statusCode).toBe(201)
    const res = await pay(token, instruction('4.5'), key)
    expectProblem(res, apiRules.idempotencyKeyReused)
  })
})

describe('lifecycle', () => {
  test('pending, then accepted, then settled with a debit that moves the balance', async () => {
    const before = await bookedBalance(payer.id)
    const { token } = await paymentConsent('7.25')
    const created = (await pay(token, instruction('7.25'))).json()
    expect((await read(token, created.paymentId)).json().status).toBe('pending')
    api.clock.advance(1)
    expect((await read(token, created.paymentId)).json().status).toBe(
      'accepted_settlement_in_process',
    )
    expect(await bookedBalance(payer.id)).toBe(before)
    api.clock.advance(2)
    const settled = (await read(token, created.paymentId)).json()
    expect(settled.status).toBe('accepted_settlement_completed')
    expect(await bookedBalance(payer.id)).toBe(before - 725)
    const page = await api
      .bankOf(DPOP_BANK)
      .store.transactions.listForAccount(payer.id, { limit: 1 })
    expect(page.transactions[0]).toMatchObject({
      amount: 725,
      creditDebit: 'debit',
      status: 'booked',
      balanceAfter: before - 725,
      counterpartyName: CREDITOR.creditorName,
    })
  })

  test('a payment beyond the available funds is rejected, and nothing is debited', async () => {
    const balances = await api.bankOf(DPOP_BANK).store.transactions.balances(payer.id)
    const tooMuch = ((balances?.available ?? 0) + 100_00) / 100
    const { token } = await paymentConsent(tooMuch.toFixed(2))
    const before = await bookedBalance(payer.id)
    const created = (await pay(token, instruction(tooMuch.toFixed(2)))).json()
    api.clock.advance(3)
    const rejected = (await read(token, created.paymentId)).json()
    expect(rejected).toMatchObject({
      status: 'rejected',
      statusReason: PAYMENT_REJECTION_REASONS.insufficientFunds,
    })
    expect(await bookedBalance(payer.id)).toBe(before)
  })

  test('a payment from an account closed before settlement is rejected AC04', async () => {
    const carol = await api.customerOf(DPOP_BANK, 'carol')
    const accounts = await api.bankOf(DPOP_BANK).store.accounts.listForCustomer(carol)
    const from = accounts.find((a) => a.type === 'current' && a.currency === 'GBP')
    if (from === undefined) throw new Error('seed: carol has no GBP current account')
    const { token } = await paymentConsent('2.00', from)
    const created = (await pay(token, instruction('2.00'))).json()
    await api
      .databaseOf(DPOP_BANK)
      .run("UPDATE accounts SET status = 'closed' WHERE id = ?", [from.id])
    api.clock.advance(3)
    expect((await read(token, created.paymentId)).json()).toMatchObject({
      status: 'rejected',
      statusReason: PAYMENT_REJECTION_REASONS.accountClosed,
    })
  })

  test('a client_credentials token of the client reads its payments; another client gets 404', async () => {
    const { token } = await paymentConsent('1.10')
    const created = (await pay(token, instruction('1.10'))).json()
    const clientToken = await issueToken(api, DPOP_BANK, {
      clientId: CLIENT_ID,
      scope: 'payments',
      holder,
    })
    const read1 = await read(clientToken, created.paymentId)
    expect(read1.statusCode).toBe(200)
    expect(read1.json().paymentId).toBe(created.paymentId)
    const otherToken = await issueToken(api, DPOP_BANK, {
      clientId: OTHER_CLIENT_ID,
      scope: 'payments',
      holder,
    })
    expectProblem(await read(otherToken, created.paymentId), apiRules.notFound)
    const noScope = await issueToken(api, DPOP_BANK, { clientId: CLIENT_ID, holder })
    expectProblem(await read(noScope, created.paymentId), apiRules.paymentNotGranted)
  })
})

describe('concurrency', () => {
  test('50 simultaneous requests with one key make one payment and one debit', async () => {
    // Settle what earlier tests left in flight, so only this payment moves the balance.
    await settleEverything()
    const { token } = await paymentConsent('9.99')
    const key = randomUUID()
    const before = await bookedBalance(payer.id)
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => pay(token, instruction('9.99'), key)),
    )
    expect(answers.map((res) => res.statusCode)).toEqual(Array(50).fill(201))
    expect(new Set(answers.map((res) => res.json().paymentId)).size).toBe(1)
    await settleEverything()
    expect(await bookedBalance(payer.id)).toBe(before - 999)
  })

  test('50 payments against funds for 10 leave 10 settled and a non-negative balance', async () => {
    // Bob's current account, emptied down to exactly ten payments' worth.
    const bob = await api.customerOf(DPOP_BANK, 'bob')
    const store = api.bankOf(DPOP_BANK).store
    const accounts = await store.accounts.listForCustomer(bob)
    const account = accounts.find((a) => a.type === 'current' && a.currency === 'GBP')
    if (account === undefined) throw new Error('seed: bob has no GBP current account')
    const available = (await store.transactions.balances(account.id))?.available ?? 0
    const share = Math.floor(available / 10)
    const amount = (share / 100).toFixed(2)
    const consents = await Promise.all(
      Array.from({ length: 50 }, () => paymentConsent(amount, account)),
    )
    const answers = await Promise.all(consents.map(({ token }) => pay(token, instruction(amount))))
    expect(answers.every((res) => res.statusCode === 201)).toBe(true)
    api.clock.advance(3)
    await store.payments.advanceDue(api.bankOf(DPOP_BANK).now(), 1000)
    const finals = await Promise.all(
      answers.map(
        async (res, index) =>
          (await read(consents[index]?.token ?? '', res.json().paymentId)).json().status,
      ),
    )
    expect(finals.filter((status) => status === 'accepted_settlement_completed')).toHaveLength(10)
    expect(finals.filter((status) => status === 'rejected')).toHaveLength(40)
    const after = await store.transactions.balances(account.id)
    expect(after?.available).toBeGreaterThanOrEqual(0)
    // The running balance of the newest booked row is the booked balance: the ledger reconciles.
    const newest = await store.transactions.listForAccount(account.id, {
      status: 'booked',
      limit: 1,
    })
    expect(newest.transactions[0]?.balanceAfter).toBe(after?.booked)
  })
})

describe('the mTLS bank', () => {
  test('initiates with the bound certificate', async () => {
    const customer = await api.customerOf(MTLS_BANK, 'alice')
    const accounts = await api.bankOf(MTLS_BANK).store.accounts.listForCustomer(customer)
    const from = accounts.find((a) => a.type === 'current')
    if (from === undefined) throw new Error('seed')
    const detail = {
      type: 'payment_initiation',
      instructedAmount: { amount: '1.00', currency: from.currency },
      creditorName: 'Someone',
      creditorAccount: { scheme: 'IBAN', iban: 'DE89370400440532013000' },
      debtorAccount: accountIdentificationOf(from),
    }
    const grant = await insertGrant(api, MTLS_BANK, customer, [detail])
    const token = await issueToken(api, MTLS_BANK, { grant, certificateSeed: 9 })
    const { type: _type, debtorAccount: _debtor, ...body } = detail
    const res = await call(api, MTLS_BANK, {
      method: 'POST',
      path: '/payments',
      token,
      certificateSeed: 9,
      headers: { 'idempotency-key': randomUUID() },
      body,
    })
    expect(res.statusCode).toBe(201)
  })
})
