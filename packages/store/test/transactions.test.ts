import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type BankDatabase, bankRepositories, openBankDatabase } from '../src/bank-database.js'
import {
  buildTransactionPageQuery,
  InvalidQueryError,
  type TransactionRecord,
  transactionIdOf,
} from '../src/repositories/transactions.js'
import { temporaryDirectory } from './temp-file.js'

let temp: ReturnType<typeof temporaryDirectory>
let bank: BankDatabase
const all: TransactionRecord[] = []

function transaction(
  index: number,
  accountId: string,
  overrides: Partial<TransactionRecord> = {},
): TransactionRecord {
  // Three rows share each timestamp, so only the id can order them: the tie-break is exercised.
  const time = new Date(Date.UTC(2026, 0, 1) + Math.floor(index / 3) * 3_600_000).toISOString()
  return {
    id: transactionIdOf(index),
    accountId,
    bookingDateTime: `${time.slice(0, 19)}Z`,
    valueDateTime: `${time.slice(0, 19)}Z`,
    amount: 100 + index,
    creditDebit: index % 4 === 0 ? 'credit' : 'debit',
    status: 'booked',
    kind: 'card',
    description: index % 10 === 0 ? `Coffee 50%_off ${index}` : `Groceries ${index}`,
    merchantName: index % 10 === 0 ? 'Bean & Leaf' : 'Fresco Market',
    merchantCategoryCode: '5411',
    category: 'groceries',
    counterpartyName: null,
    counterpartyAccount: null,
    reference: null,
    transferId: null,
    balanceAfter: 0,
    ...overrides,
  }
}

beforeAll(async () => {
  temp = temporaryDirectory()
  bank = await openBankDatabase(temp.file('bank.sqlite'))
  await bank.customers.insertMany([
    {
      id: 'cus_1',
      givenName: 'Ada',
      familyName: "O'Neill",
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
  await bank.accounts.insertMany([
    {
      id: 'acc_a',
      customerId: 'cus_1',
      type: 'current',
      currency: 'GBP',
      name: 'Everyday',
      iban: null,
      sortCode: '601234',
      accountNumber: '12345678',
      maskedPan: null,
      status: 'enabled',
      openedAt: '2015-03-01',
      creditLimit: null,
    },
    {
      id: 'acc_c',
      customerId: 'cus_1',
      type: 'credit_card',
      currency: 'GBP',
      name: 'Card',
      iban: null,
      sortCode: null,
      accountNumber: null,
      maskedPan: '**** 4242',
      status: 'enabled',
      openedAt: '2016-01-01',
      creditLimit: 500_000,
    },
  ])
  let balance = 0
  for (let index = 0; index < 1000; index++) {
    const row = transaction(index, 'acc_a')
    balance += row.creditDebit === 'credit' ? row.amount : -row.amount
    row.balanceAfter = balance
    if (index >= 995) Object.assign(row, { status: 'pending', balanceAfter: null })
    all.push(row)
  }
  await bank.db.transaction(async (tx) => {
    const { transactions } = bankRepositories(tx)
    await transactions.insertMany(all)
    await transactions.insertMany([
      transaction(5000, 'acc_c', {
        amount: 12_345,
        creditDebit: 'debit',
        balanceAfter: -12_345,
      }),
      transaction(5001, 'acc_c', {
        amount: 2_000,
        creditDebit: 'debit',
        status: 'pending',
        balanceAfter: null,
      }),
    ])
  })
})
afterAll(async () => {
  await bank.close()
  temp.remove()
})

const newestFirst = (rows: TransactionRecord[]) =>
  [...rows].sort((a, b) =>
    a.bookingDateTime === b.bookingDateTime
      ? a.id < b.id
        ? 1
        : -1
      : a.bookingDateTime < b.bookingDateTime
        ? 1
        : -1,
  )

async function pageThrough(options: Parameters<BankDatabase['transactions']['listForAccount']>[1]) {
  const seen: TransactionRecord[] = []
  let after: string | undefined
  let pages = 0
  do {
    const page = await bank.transactions.listForAccount('acc_a', {
      ...options,
      ...(after ? { after } : {}),
    })
    seen.push(...page.transactions)
    after = page.nextCursor
    pages++
  } while (after !== undefined)
  return { seen, pages }
}

describe('listForAccount', () => {
  test('pages newest first through every row once, with no gaps or duplicates', async () => {
    const { seen, pages } = await pageThrough({ limit: 37 })
    expect(pages).toBe(Math.ceil(1000 / 37))
    expect(seen.map((t) => t.id)).toEqual(newestFirst(all).map((t) => t.id))
    expect(seen[0]).toEqual(newestFirst(all)[0])
  })

  test('the default page is 100 rows and the last page has no cursor', async () => {
    const first = await bank.transactions.listForAccount('acc_a')
    expect(first.transactions).toHaveLength(100)
    expect(first.nextCursor).toEqual(expect.any(String))
    const { pages } = await pageThrough({})
    expect(pages).toBe(10)
  })

  test('filters combine with the cursor', async () => {
    const from = '2026-01-10T00:00:00Z'
    const to = '2026-01-20T00:00:00Z'
    const expected = newestFirst(all).filter(
      (t) => t.bookingDateTime >= from && t.bookingDateTime < to && t.creditDebit === 'credit',
    )
    const { seen } = await pageThrough({
      limit: 7,
      bookedFrom: from,
      bookedTo: '2026-01-20',
      creditDebit: 'credit',
    })
    expect(seen.map((t) => t.id)).toEqual(expected.map((t) => t.id))
    expect(expected.length).toBeGreaterThan(7)

    const pending = await pageThrough({ status: 'pending' })
    expect(pending.seen.map((t) => t.id)).toEqual([
      'tx_0000000999',
      'tx_0000000998',
      'tx_0000000997',
      'tx_0000000996',
      'tx_0000000995',
    ])
  })

  test('text search is a case-insensitive substring, with % and _ taken literally', async () => {
    const { seen } = await pageThrough({ text: 'bean &' })
    expect(seen).toHaveLength(100)
    const literal = await pageThrough({ text: '50%_off 99' })
    expect(literal.seen.map((t) => t.id)).toEqual(['tx_0000000990'])
    expect((await pageThrough({ text: '5_%' })).seen).toEqual([])
  })

  test('bad input is an InvalidQueryError, never a database error', async () => {
    const list = (options: object) => bank.transactions.listForAccount('acc_a', options)
    await expect(list({ limit: 101 })).rejects.toBeInstanceOf(InvalidQueryError)
    await expect(list({ limit: 0 })).rejects.toBeInstanceOf(InvalidQueryError)
    await expect(list({ after: 'not-a-cursor' })).rejects.toThrow(/cursor/)
    await expect(list({ bookedFrom: 'yesterday' })).rejects.toThrow(/bookedFrom/)
    await expect(list({ status: 'void' })).rejects.toThrow(/status/)
  })

  test('an unknown account has an empty history', async () => {
    expect(await bank.transactions.listForAccount('nope')).toEqual({
      transactions: [],
      nextCursor: undefined,
      prevCursor: undefined,
    })
  })

  test('prevCursor pages back to exactly the pages seen going forwards, newest first', async () => {
    const forwards: TransactionRecord[][] = []
    let page = await bank.transactions.listForAccount('acc_a', { limit: 40 })
    expect(page.prevCursor).toBeUndefined()
    forwards.push(page.transactions)
    for (let i = 0; i < 3 && page.nextCursor !== undefined; i++) {
      page = await bank.transactions.listForAccount('acc_a', { limit: 40, after: page.nextCursor })
      forwards.push(page.transactions)
    }
    for (let index = forwards.length - 2; index >= 0; index--) {
      expect(page.prevCursor).toEqual(expect.any(String))
      page = await bank.transactions.listForAccount('acc_a', {
        limit: 40,
        ...(page.prevCursor === undefined ? {} : { before: page.prevCursor }),
      })
      expect(page.transactions.map((t) => t.id)).toEqual(forwards[index]?.map((t) => t.id))
      expect(page.nextCursor).toEqual(expect.any(String))
    }
    expect(page.prevCursor).toBeUndefined()
    await expect(
      bank.transactions.listForAccount('acc_a', {
        after: page.nextCursor,
        before: page.nextCursor,
      }),
    ).rejects.toThrow(/not both/)
  })
})

describe('query plan', () => {
  test('a page after a cursor is an index SEARCH with no temporary sort', async () => {
    const first = await bank.transactions.listForAccount('acc_a', { limit: 100 })
    const { sql, params } = buildTransactionPageQuery('acc_a', {
      limit: 100,
      ...(first.nextCursor ? { after: first.nextCursor } : {}),
    })
    const plan = await bank.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)
    const text = plan.map((row) => row.detail).join('\n')
    expect(text).toMatch(
      /SEARCH transactions USING INDEX transactions_by_account_booking \(account_id=\? AND \(booking_date_time,rowid\)<\(\?,\?\)\)/,
    )
    expect(text).not.toMatch(/TEMP B-TREE/)
    expect(text).not.toMatch(/SCAN/)
  })

  test('filters do not change the access path', async () => {
    const { sql, params } = buildTransactionPageQuery('acc_a', {
      status: 'booked',
      text: 'x',
      bookedFrom: '2026-01-01',
    })
    const text = (await bank.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params))
      .map((r) => r.detail)
      .join('\n')
    expect(text).toMatch(/USING INDEX transactions_by_account_booking/)
    expect(text).not.toMatch(/TEMP B-TREE/)
  })
})

describe('balances', () => {
  test('booked is the signed sum of booked rows and equals the last running balance', async () => {
    const booked = all.filter((t) => t.status === 'booked')
    const sum = booked.reduce(
      (total, t) => total + (t.creditDebit === 'credit' ? t.amount : -t.amount),
      0,
    )
    const pendingDebits = all
      .filter((t) => t.status === 'pending' && t.creditDebit === 'debit')
      .reduce((s, t) => s + t.amount, 0)
    const balances = await bank.transactions.balances('acc_a')
    expect(balances).toEqual({
      accountId: 'acc_a',
      currency: 'GBP',
      booked: sum,
      available: sum - pendingDebits,
      pendingDebits,
      pendingCredits: all
        .filter((t) => t.status === 'pending' && t.creditDebit === 'credit')
        .reduce((s, t) => s + t.amount, 0),
      creditLimit: null,
    })
    expect(booked.at(-1)?.balanceAfter).toBe(sum)
  })

  test('a card’s available credit is limit plus booked minus pending debits', async () => {
    expect(await bank.transactions.balances('acc_c')).toEqual({
      accountId: 'acc_c',
      currency: 'GBP',
      booked: -12_345,
      available: 500_000 - 12_345 - 2_000,
      pendingDebits: 2_000,
      pendingCredits: 0,
      creditLimit: 500_000,
    })
    expect(await bank.transactions.balances('nope')).toBeUndefined()
  })
})

describe('schema guards', () => {
  test('a fractional amount or a pending row with a running balance is refused', async () => {
    await expect(
      bank.transactions.insertMany([transaction(9000, 'acc_a', { amount: 1.5 })]),
    ).rejects.toThrow(/safe integers/)
    await expect(
      bank.db.run('UPDATE transactions SET amount = 1.5 WHERE seq = 1'),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' })
    await expect(
      bank.transactions.insertMany([
        transaction(9001, 'acc_a', { status: 'pending', balanceAfter: 5 }),
      ]),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' })
    await expect(bank.transactions.insertMany([transaction(9002, 'no_account')])).rejects.toThrow(
      /FOREIGN KEY/,
    )
  })

  test('the bank table holds exactly one row', async () => {
    const row = {
      id: 'aurora',
      name: 'Aurora',
      legalName: 'Aurora Bank plc',
      country: 'GB',
      currency: 'GBP',
      bic: 'AURBGB2L',
      primaryColour: '#123456',
      accentColour: '#abcdef',
      profile: {
        senderConstraint: 'dpop',
        clientAuth: 'private_key_jwt',
        dpopNonceRequired: false,
        accessTokenLifetimeSeconds: 600,
        refreshTokenLifetimeSeconds: 86400,
        requireSignedRequestObject: false,
        authorizationResponseMode: 'query',
      } as const,
      seed: 1,
      asOf: '2026-11-01',
      createdAt: '2026-11-01T00:00:00Z',
    }
    await bank.bank.insert(row)
    expect(await bank.bank.get()).toEqual(row)
    await expect(bank.bank.insert({ ...row, id: 'other' })).rejects.toThrow(/exactly one row/)
  })
})
