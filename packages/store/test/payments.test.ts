import type { PaymentRequest } from '@sandbox/spec-types/banking/payment'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  type BankDatabase,
  type BankRepositoryOptions,
  openBankDatabase,
} from '../src/bank-database.js'
import type { AccountRecord } from '../src/repositories/accounts.js'
import {
  createPaymentRepository,
  DEFAULT_PAYMENT_LIFECYCLE,
  PAYMENT_REJECTION_REASONS,
  type PaymentInitiationInput,
  type PaymentRecord,
  paymentResourceOf,
} from '../src/repositories/payments.js'
import { type TransactionRecord, transactionIdOf } from '../src/repositories/transactions.js'
import { temporaryDirectory } from './temp-file.js'

/** 2026-11-02T09:00:00Z in Unix seconds: the manual clock every test starts from. */
const T0 = Date.parse('2026-11-02T09:00:00Z') / 1000
const at = (seconds: number) => `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`

let temp: ReturnType<typeof temporaryDirectory>
let bank: BankDatabase

function account(id: string, overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id,
    customerId: 'cus_1',
    type: 'current',
    currency: 'GBP',
    name: 'Everyday',
    iban: null,
    sortCode: '601234',
    accountNumber: id === 'acc_cur' ? '12345678' : '87654321',
    maskedPan: null,
    status: 'enabled',
    openedAt: '2015-03-01',
    creditLimit: null,
    ...overrides,
  }
}

/** An opening-balance credit booked a day before T0, so every account starts with `amount`. */
function openingBalance(seq: number, accountId: string, amount: number): TransactionRecord {
  return {
    id: transactionIdOf(seq),
    accountId,
    bookingDateTime: at(T0 - 86_400),
    valueDateTime: at(T0 - 86_400),
    amount,
    creditDebit: 'credit',
    status: 'booked',
    kind: 'opening_balance',
    description: 'Opening balance',
    merchantName: null,
    merchantCategoryCode: null,
    category: 'opening_balance',
    counterpartyName: null,
    counterpartyAccount: null,
    reference: null,
    transferId: null,
    balanceAfter: amount,
  }
}

async function openBank(options: BankRepositoryOptions = {}): Promise<BankDatabase> {
  const opened = await openBankDatabase(temp.file(`bank-${Math.random()}.sqlite`), options)
  await opened.customers.insertMany([
    {
      id: 'cus_1',
      givenName: 'Ada',
      familyName: 'Lovelace',
      email: 'ada@example.com',
      phone: '+44 20 7946 0000',
      addressLine: '1 High Street',
      city: 'Leeds',
      postcode: 'LS1 1AA',
      country: 'GB',
      dateOfBirth: '1990-01-01',
      customerSince: '2015-03-01',
    },
  ])
  await opened.accounts.insertMany([
    account('acc_cur'),
    account('acc_closed', { status: 'closed' }),
    account('acc_eur', { currency: 'EUR', sortCode: null, iban: 'DE89370400440532013000' }),
    account('acc_card', {
      type: 'credit_card',
      sortCode: null,
      accountNumber: null,
      maskedPan: '**** 4242',
      creditLimit: 50_000,
    }),
  ])
  // 1,000.00 GBP in the current account; the closed one still holds money, to show status decides.
  await opened.transactions.insertMany([
    openingBalance(0, 'acc_cur', 100_000),
    openingBalance(1, 'acc_closed', 100_000),
  ])
  return opened
}

beforeEach(async () => {
  temp = temporaryDirectory()
  bank = await openBank()
})
afterEach(async () => {
  await bank.close()
  temp.remove()
})

function instruction(overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return {
    instructedAmount: { amount: '100.00', currency: 'GBP' },
    creditorName: 'Merchant Ltd',
    creditorAccount: {
      scheme: 'SortCodeAccountNumber',
      sortCode: '112233',
      accountNumber: '44556677',
    },
    remittanceInformationUnstructured: 'Invoice 42',
    ...overrides,
  }
}

function payment(
  n: number,
  overrides: Partial<PaymentInitiationInput> = {},
): PaymentInitiationInput {
  return {
    id: `pay_${String(n).padStart(4, '0')}`,
    grantId: `grant_${n}`,
    clientId: 'fintech',
    customerId: 'cus_1',
    debtorAccountId: 'acc_cur',
    instruction: instruction(),
    idempotencyKey: `key-${n}`,
    requestHash: `hash-${n}`,
    ...overrides,
  }
}

async function created(input: PaymentInitiationInput, now = T0): Promise<PaymentRecord> {
  const result = await bank.payments.initiate(input, now)
  expect(result.kind).toBe('created')
  return result.payment
}

async function countPayments(): Promise<number> {
  const row = await bank.db.get<{ n: number }>('SELECT count(*) AS n FROM payments')
  return row?.n ?? 0
}

async function debitsOf(accountId: string): Promise<TransactionRecord[]> {
  const page = await bank.transactions.listForAccount(accountId, { creditDebit: 'debit' })
  return page.transactions
}

/** Booked rows of an account in booking order, with their signed sum. */
async function ledger(accountId: string) {
  const rows = await bank.db.all<{ amount: number; credit_debit: string; balance_after: number }>(
    `SELECT amount, credit_debit, balance_after FROM transactions
      WHERE account_id = ? AND status = 'booked' ORDER BY booking_date_time, seq`,
    [accountId],
  )
  let running = 0
  const chainHolds = rows.every((row) => {
    running += row.credit_debit === 'credit' ? row.amount : -row.amount
    return row.balance_after === running
  })
  return { sum: running, latest: rows.at(-1)?.balance_after, chainHolds }
}

describe('initiate', () => {
  test('records a pending payment with the instruction in minor units, stamped at now', async () => {
    const result = await bank.payments.initiate(payment(1), T0)
    expect(result).toEqual({
      kind: 'created',
      payment: {
        id: 'pay_0001',
        grantId: 'grant_1',
        clientId: 'fintech',
        customerId: 'cus_1',
        debtorAccountId: 'acc_cur',
        amount: 10_000,
        currency: 'GBP',
        creditorName: 'Merchant Ltd',
        creditorAccount: {
          scheme: 'SortCodeAccountNumber',
          sortCode: '112233',
          accountNumber: '44556677',
        },
        debtorAccount: undefined,
        remittanceInformationUnstructured: 'Invoice 42',
        requestedExecutionDate: undefined,
        status: 'pending',
        statusReason: undefined,
        createdAt: '2026-11-02T09:00:00Z',
        statusUpdatedAt: '2026-11-02T09:00:00Z',
        idempotencyKey: 'key-1',
        requestHash: 'hash-1',
        debitTransactionId: undefined,
      },
    })
    expect(await bank.payments.get('pay_0001')).toEqual(result.payment)
  })

  test('the wire resource carries the consented instruction back exactly, in decimal', async () => {
    const consented = instruction({
      instructedAmount: { amount: '1234.5', currency: 'GBP' },
      debtorAccount: {
        scheme: 'SortCodeAccountNumber',
        sortCode: '601234',
        accountNumber: '12345678',
      },
      requestedExecutionDate: '2026-11-03',
    })
    const stored = await created(payment(1, { instruction: consented }))
    expect(stored.amount).toBe(123_450)
    expect(paymentResourceOf(stored)).toEqual({
      paymentId: 'pay_0001',
      status: 'pending',
      ...consented,
      instructedAmount: { amount: '1234.50', currency: 'GBP' },
      createdAt: '2026-11-02T09:00:00Z',
      statusUpdatedAt: '2026-11-02T09:00:00Z',
    })
  })

  test('the same key and body replays the original payment: no second payment, no second debit', async () => {
    const first = await created(payment(1))
    const again = await bank.payments.initiate(payment(1, { id: 'pay_other' }), T0 + 5)
    expect(again).toEqual({ kind: 'replayed', payment: first })
    await bank.payments.advanceDue(T0 + 10)
    const replayedLater = await bank.payments.initiate(payment(1, { id: 'pay_later' }), T0 + 20)
    expect(replayedLater.kind).toBe('replayed')
    expect(replayedLater.payment.status).toBe('accepted_settlement_completed')
    expect(await countPayments()).toBe(1)
    expect(await debitsOf('acc_cur')).toHaveLength(1)
  })

  test('the same key with another body is a conflict and leaves the original untouched', async () => {
    const first = await created(payment(1))
    const conflict = await bank.payments.initiate(
      payment(1, {
        id: 'pay_other',
        requestHash: 'hash-different',
        instruction: instruction({ instructedAmount: { amount: '999.00', currency: 'GBP' } }),
      }),
      T0 + 1,
    )
    expect(conflict).toEqual({ kind: 'idempotency_conflict', payment: first })
    expect(await countPayments()).toBe(1)
  })

  test('a grant that already paid is already_executed, whatever key the second request uses', async () => {
    const first = await created(payment(1))
    const second = await bank.payments.initiate(
      payment(1, { id: 'pay_second', idempotencyKey: 'key-new', requestHash: 'hash-new' }),
      T0 + 1,
    )
    expect(second).toEqual({ kind: 'already_executed', payment: first })
    expect(await countPayments()).toBe(1)
  })

  test('idempotency keys are scoped to the client', async () => {
    await created(payment(1))
    const otherClient = await bank.payments.initiate(
      payment(2, { clientId: 'other-fintech', idempotencyKey: 'key-1', requestHash: 'hash-1' }),
      T0,
    )
    expect(otherClient.kind).toBe('created')
    expect(await countPayments()).toBe(2)
  })

  test('50 simultaneous requests with one key make exactly one payment', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        bank.payments.initiate(payment(1, { id: `pay_race_${n}` }), T0),
      ),
    )
    const kinds = results.map((result) => result.kind)
    expect(kinds.filter((kind) => kind === 'created')).toHaveLength(1)
    expect(kinds.filter((kind) => kind === 'replayed')).toHaveLength(49)
    expect(new Set(results.map((result) => result.payment.id)).size).toBe(1)
    expect(await countPayments()).toBe(1)
  })

  test('an amount finer than the currency allows is refused before anything is written', async () => {
    await expect(
      bank.payments.initiate(
        payment(1, {
          instruction: instruction({ instructedAmount: { amount: '1.005', currency: 'GBP' } }),
        }),
        T0,
      ),
    ).rejects.toThrow(RangeError)
    expect(await countPayments()).toBe(0)
  })
})

describe('visibility', () => {
  test('a payment is visible only to the client that made it', async () => {
    const stored = await created(payment(1))
    expect(await bank.payments.getForClient('pay_0001', 'fintech')).toEqual(stored)
    expect(await bank.payments.getForClient('pay_0001', 'other-fintech')).toBeUndefined()
    expect(await bank.payments.getForClient('pay_none', 'fintech')).toBeUndefined()
    expect(await bank.payments.advance('pay_none', T0 + 10)).toBeUndefined()
  })
})

describe('lifecycle', () => {
  test('pending, then in process after 1 s, then completed 2 s later with its debit booked', async () => {
    expect(DEFAULT_PAYMENT_LIFECYCLE).toEqual({
      acceptanceDelaySeconds: 1,
      settlementDelaySeconds: 2,
    })
    await created(payment(1))
    expect((await bank.payments.advance('pay_0001', T0 + 0.999))?.status).toBe('pending')

    const accepted = await bank.payments.advance('pay_0001', T0 + 1)
    expect(accepted).toMatchObject({
      status: 'accepted_settlement_in_process',
      statusUpdatedAt: at(T0 + 1),
      debitTransactionId: undefined,
    })
    expect(await bank.payments.advance('pay_0001', T0 + 2)).toEqual(accepted)
    expect(await debitsOf('acc_cur')).toEqual([])

    const completed = await bank.payments.advance('pay_0001', T0 + 3)
    expect(completed).toMatchObject({
      status: 'accepted_settlement_completed',
      statusUpdatedAt: at(T0 + 3),
      debitTransactionId: 'tx_0000000002',
    })
    expect(await bank.payments.advance('pay_0001', T0 + 60)).toEqual(completed)
    expect(await debitsOf('acc_cur')).toEqual([
      {
        id: 'tx_0000000002',
        accountId: 'acc_cur',
        bookingDateTime: at(T0 + 3),
        valueDateTime: at(T0 + 3),
        amount: 10_000,
        creditDebit: 'debit',
        status: 'booked',
        kind: 'credit_transfer',
        description: 'Merchant Ltd',
        merchantName: null,
        merchantCategoryCode: null,
        category: 'payments',
        counterpartyName: 'Merchant Ltd',
        counterpartyAccount: '112233 44556677',
        reference: 'Invoice 42',
        transferId: null,
        balanceAfter: 90_000,
      },
    ])
    expect((await bank.transactions.balances('acc_cur'))?.booked).toBe(90_000)
  })

  test('a late look applies every due step at once, each stamped when it fell due', async () => {
    await created(payment(1))
    const payment1 = await bank.payments.advance('pay_0001', T0 + 3600)
    expect(payment1).toMatchObject({
      status: 'accepted_settlement_completed',
      statusUpdatedAt: at(T0 + 3),
    })
    expect((await debitsOf('acc_cur'))[0]?.bookingDateTime).toBe(at(T0 + 3))
  })

  test('the delays can be overridden', async () => {
    await bank.close()
    bank = await openBank({
      paymentLifecycle: { acceptanceDelaySeconds: 0, settlementDelaySeconds: 5 },
    })
    expect(bank.payments.lifecycle).toEqual({
      acceptanceDelaySeconds: 0,
      settlementDelaySeconds: 5,
    })
    await created(payment(1))
    expect((await bank.payments.advance('pay_0001', T0))?.status).toBe(
      'accepted_settlement_in_process',
    )
    expect((await bank.payments.advance('pay_0001', T0 + 4))?.status).toBe(
      'accepted_settlement_in_process',
    )
    expect((await bank.payments.advance('pay_0001', T0 + 5))?.status).toBe(
      'accepted_settlement_completed',
    )
    expect(() =>
      createPaymentRepository(bank.db, { lifecycle: { settlementDelaySeconds: 0.5 } }),
    ).toThrow(/whole number of seconds/)
  })

  test('a closed debtor account is rejected at acceptance (AC04) and nothing is debited', async () => {
    await created(payment(1, { debtorAccountId: 'acc_closed' }))
    expect(await bank.payments.advance('pay_0001', T0 + 10)).toMatchObject({
      status: 'rejected',
      statusReason: PAYMENT_REJECTION_REASONS.accountClosed,
      statusUpdatedAt: at(T0 + 1),
      debitTransactionId: undefined,
    })
    expect(await debitsOf('acc_closed')).toEqual([])
  })

  test('insufficient available funds are rejected at acceptance (AM04)', async () => {
    await created(
      payment(1, {
        instruction: instruction({ instructedAmount: { amount: '1000.01', currency: 'GBP' } }),
      }),
    )
    expect(await bank.payments.advance('pay_0001', T0 + 1)).toMatchObject({
      status: 'rejected',
      statusReason: PAYMENT_REJECTION_REASONS.insufficientFunds,
      statusUpdatedAt: at(T0 + 1),
    })
    expect((await bank.transactions.balances('acc_cur'))?.booked).toBe(100_000)
  })

  test('pending debits count against the funds, as the available balance shows them', async () => {
    await bank.transactions.insertMany([
      {
        ...openingBalance(10, 'acc_cur', 95_000),
        creditDebit: 'debit',
        kind: 'card',
        status: 'pending',
        balanceAfter: null,
      },
    ])
    expect((await bank.transactions.balances('acc_cur'))?.available).toBe(5_000)
    await created(payment(1))
    expect((await bank.payments.advance('pay_0001', T0 + 1))?.statusReason).toBe(
      PAYMENT_REJECTION_REASONS.insufficientFunds,
    )
  })

  test('funds spent after acceptance are rejected at settlement, when the debit would book', async () => {
    const big = instruction({ instructedAmount: { amount: '600.00', currency: 'GBP' } })
    await created(payment(1, { instruction: big }))
    await created(payment(2, { instruction: big }), T0 + 1)
    await bank.payments.advanceDue(T0 + 2)
    expect((await bank.payments.get('pay_0001'))?.status).toBe('accepted_settlement_in_process')
    expect((await bank.payments.get('pay_0002'))?.status).toBe('accepted_settlement_in_process')
    await bank.payments.advanceDue(T0 + 4)
    expect(await bank.payments.get('pay_0001')).toMatchObject({
      status: 'accepted_settlement_completed',
    })
    expect(await bank.payments.get('pay_0002')).toMatchObject({
      status: 'rejected',
      statusReason: PAYMENT_REJECTION_REASONS.insufficientFunds,
      statusUpdatedAt: at(T0 + 4),
    })
    expect((await bank.transactions.balances('acc_cur'))?.booked).toBe(40_000)
  })

  test('a card pays from its credit limit and its running balance goes below zero', async () => {
    await created(payment(1, { debtorAccountId: 'acc_card' }))
    expect((await bank.payments.advance('pay_0001', T0 + 3))?.status).toBe(
      'accepted_settlement_completed',
    )
    expect(await bank.transactions.balances('acc_card')).toMatchObject({
      booked: -10_000,
      available: 40_000,
    })
    expect((await debitsOf('acc_card'))[0]?.balanceAfter).toBe(-10_000)
  })

  test('an instruction in another currency than the account is rejected (AM03)', async () => {
    await bank.transactions.insertMany([openingBalance(20, 'acc_eur', 100_000)])
    await created(payment(1, { debtorAccountId: 'acc_eur' }))
    expect((await bank.payments.advance('pay_0001', T0 + 3))?.statusReason).toBe(
      PAYMENT_REJECTION_REASONS.currencyMismatch,
    )
  })

  test('advanceDue moves only what is due, reports what it changed, and is idempotent', async () => {
    await created(payment(1))
    await created(payment(2), T0 + 2)
    const first = await bank.payments.advanceDue(T0 + 3)
    expect(first.map((p) => [p.id, p.status])).toEqual([
      ['pay_0001', 'accepted_settlement_completed'],
      ['pay_0002', 'accepted_settlement_in_process'],
    ])
    expect(await bank.payments.advanceDue(T0 + 3)).toEqual([])
    expect((await bank.payments.advanceDue(T0 + 5)).map((p) => p.id)).toEqual(['pay_0002'])
    expect(await bank.payments.advanceDue(T0 + 500)).toEqual([])
    await expect(bank.payments.advanceDue(T0, 0)).rejects.toThrow(RangeError)
  })

  test('advanceDue takes at most `limit` payments, oldest first', async () => {
    for (let n = 1; n <= 5; n++) await created(payment(n), T0 + n)
    expect((await bank.payments.advanceDue(T0 + 100, 2)).map((p) => p.id)).toEqual([
      'pay_0001',
      'pay_0002',
    ])
    expect((await bank.payments.advanceDue(T0 + 100)).map((p) => p.id)).toEqual([
      'pay_0003',
      'pay_0004',
      'pay_0005',
    ])
  })
})

describe('ledger', () => {
  test('after several payments the booked sum equals the latest running balance', async () => {
    const amounts = ['12.34', '250.00', '0.01', '99.99']
    for (const [index, amount] of amounts.entries()) {
      await created(
        payment(index + 1, {
          instruction: instruction({ instructedAmount: { amount, currency: 'GBP' } }),
        }),
        T0 + index * 10,
      )
      await bank.payments.advanceDue(T0 + index * 10 + 3)
    }
    const { sum, latest, chainHolds } = await ledger('acc_cur')
    expect(sum).toBe(100_000 - 1_234 - 25_000 - 1 - 9_999)
    expect(latest).toBe(sum)
    expect(chainHolds).toBe(true)
    expect((await bank.transactions.balances('acc_cur'))?.booked).toBe(sum)
  })

  test('a late tick never books before a later payment already booked, so the chain holds', async () => {
    await created(payment(1))
    await created(payment(2), T0 + 1)
    // A GET settles the younger payment first; the ticker finds the older one afterwards.
    await bank.payments.advance('pay_0002', T0 + 10)
    await bank.payments.advanceDue(T0 + 11)
    const debits = await debitsOf('acc_cur')
    expect(debits.map((d) => [d.bookingDateTime, d.balanceAfter])).toEqual([
      [at(T0 + 4), 80_000],
      [at(T0 + 4), 90_000],
    ])
    expect(await bank.payments.get('pay_0001')).toMatchObject({
      status: 'accepted_settlement_completed',
      statusUpdatedAt: at(T0 + 4),
    })
    const { sum, latest, chainHolds } = await ledger('acc_cur')
    expect([latest, chainHolds]).toEqual([sum, true])
  })
})

describe('concurrency', () => {
  test('50 payments against funds for 10: exactly 10 complete, 40 rejected, balance 0', async () => {
    const tenth = instruction({ instructedAmount: { amount: '100.00', currency: 'GBP' } })
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        bank.payments.initiate(payment(n + 1, { instruction: tenth }), T0),
      ),
    )
    expect(results.every((result) => result.kind === 'created')).toBe(true)

    // A second connection to the same file stands in for another process ticking at once.
    const other = await openBankDatabase(bank.db.file)
    try {
      await Promise.all([
        bank.payments.advanceDue(T0 + 3),
        other.payments.advanceDue(T0 + 3),
        ...results.map((result) => bank.payments.advance(result.payment.id, T0 + 3)),
        ...results.map((result) => other.payments.advance(result.payment.id, T0 + 3)),
      ])
    } finally {
      await other.close()
    }

    const statuses = await bank.db.all<{ status: string; reason: string | null; n: number }>(
      'SELECT status, status_reason AS reason, count(*) AS n FROM payments GROUP BY 1, 2 ORDER BY 1',
    )
    expect(statuses).toEqual([
      { status: 'accepted_settlement_completed', reason: null, n: 10 },
      { status: 'rejected', reason: PAYMENT_REJECTION_REASONS.insufficientFunds, n: 40 },
    ])
    expect(await debitsOf('acc_cur')).toHaveLength(10)
    const balances = await bank.transactions.balances('acc_cur')
    expect(balances?.booked).toBe(0)
    const { sum, latest, chainHolds } = await ledger('acc_cur')
    expect([sum, latest, chainHolds]).toEqual([0, 0, true])
  })
})

describe('schema guards', () => {
  test('SQL refuses a fractional amount, a second payment of a grant and a half-settled status', async () => {
    await created(payment(1))
    await expect(
      bank.db.run("UPDATE payments SET amount = 1.5 WHERE id = 'pay_0001'"),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' })
    await expect(
      bank.db.run(
        "INSERT INTO payments SELECT 'pay_copy', grant_id, client_id, customer_id, debtor_account_id, amount, currency, creditor_name, creditor_account, debtor_account, remittance_information, requested_execution_date, status, status_reason, created_at, status_updated_at, 'key-copy', request_hash, debit_transaction_seq FROM payments",
      ),
    ).rejects.toThrow(/UNIQUE constraint failed: payments.grant_id/)
    await expect(
      bank.db.run("UPDATE payments SET status = 'rejected' WHERE id = 'pay_0001'"),
    ).rejects.toThrow(/CHECK constraint failed/)
    await expect(
      bank.db.run(
        "UPDATE payments SET status = 'accepted_settlement_completed' WHERE id = 'pay_0001'",
      ),
    ).rejects.toThrow(/CHECK constraint failed/)
  })

  test('the ticker finds due payments through the partial index of in-flight payments', async () => {
    const statements: string[] = []
    const spy = {
      ...bank.db,
      all: <T>(
        sql: Parameters<typeof bank.db.all>[0],
        params?: Parameters<typeof bank.db.all>[1],
      ) => {
        if (typeof sql !== 'string' && sql.purpose === 'list payments due to advance') {
          statements.push(sql.sql)
        }
        return bank.db.all<T>(sql, params)
      },
    }
    await createPaymentRepository(spy).advanceDue(T0)
    expect(statements).toHaveLength(1)
    const plan = await bank.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${statements[0]}`, [
      at(T0),
      at(T0),
      10,
    ])
    expect(plan.map((row) => row.detail).join('\n')).toMatch(
      /SEARCH payments USING INDEX payments_in_flight \(status=\? AND status_updated_at<\?\)/,
    )
  })
})
