import { openBankDatabase } from '@sandbox/store/bank-database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BANKS } from '../src/banks.js'
import { digestBankDatabase } from '../src/digest.js'
import { CATEGORIES, DEFAULT_AS_OF } from '../src/generate.js'
import { isValidIban } from '../src/iban.js'
import { SeedOptionsError, type SeedSummary, seedSandbox } from '../src/seed-sandbox.js'
import { snapshot, temporaryDirectory } from './temp-dir.js'

const first = temporaryDirectory()
const second = temporaryDirectory()
let summary: SeedSummary

beforeAll(async () => {
  summary = await seedSandbox({ dataDir: first.dir })
  await seedSandbox({ dataDir: second.dir })
}, 60_000)
afterAll(() => {
  first.remove()
  second.remove()
})

describe('determinism', () => {
  test('the same seed and as-of date give identical digests in two independent folders', async () => {
    for (const bank of BANKS) {
      const a = await digestBankDatabase(`${first.dir}/banks/${bank.id}.sqlite`)
      const b = await digestBankDatabase(`${second.dir}/banks/${bank.id}.sqlite`)
      expect(a).toMatch(/^[0-9a-f]{64}$/)
      expect(a).toBe(b)
    }
  })

  test('a different seed or as-of date gives different data', async () => {
    const other = temporaryDirectory()
    try {
      await seedSandbox({ dataDir: other.dir, seed: 7, banks: ['fjord'] })
      const reference = await digestBankDatabase(`${first.dir}/banks/fjord.sqlite`)
      expect(await digestBankDatabase(`${other.dir}/banks/fjord.sqlite`)).not.toBe(reference)
      await seedSandbox({ dataDir: other.dir, asOf: '2026-06-15', banks: ['fjord'] })
      expect(await digestBankDatabase(`${other.dir}/banks/fjord.sqlite`)).not.toBe(reference)
    } finally {
      other.remove()
    }
  })
})

describe.each(BANKS.map((bank) => [bank.id, bank] as const))('bank %s', (id, definition) => {
  const withBank = async <T>(
    fn: (store: Awaited<ReturnType<typeof openBankDatabase>>) => Promise<T>,
  ) => {
    const store = await openBankDatabase(`${first.dir}/banks/${id}.sqlite`, { readonly: true })
    try {
      return await fn(store)
    } finally {
      await store.close()
    }
  }

  test('every account balance equals the sum of its booked rows and its last running balance', async () => {
    await withBank(async (store) => {
      const ids = await store.accounts.listIds()
      expect(ids.length).toBeGreaterThanOrEqual(50)
      for (const accountId of ids) {
        const balances = await store.transactions.balances(accountId)
        const last = await store.db.get<{ balance_after: number; sum: number }>(
          `SELECT balance_after, (SELECT sum(CASE credit_debit WHEN 'credit' THEN amount ELSE -amount END)
             FROM transactions WHERE account_id = ?1 AND status = 'booked') AS sum
           FROM transactions WHERE account_id = ?1 AND status = 'booked'
           ORDER BY booking_date_time DESC, seq DESC LIMIT 1`,
          [accountId],
        )
        expect(balances?.booked).toBe(last?.sum)
        expect(last?.balance_after).toBe(balances?.booked)
      }
    })
  })

  test('every running balance is the running sum in (booking date-time, seq) order', async () => {
    await withBank(async (store) => {
      const wrong = await store.db.get<{ n: number }>(
        `SELECT count(*) AS n FROM (
           SELECT balance_after, sum(CASE credit_debit WHEN 'credit' THEN amount ELSE -amount END)
             OVER (PARTITION BY account_id ORDER BY booking_date_time, seq) AS running
           FROM transactions WHERE status = 'booked') WHERE running <> balance_after`,
      )
      expect(wrong?.n).toBe(0)
    })
  })

  test('amounts are positive integers in minor units and the first row of each account opens it', async () => {
    await withBank(async (store) => {
      expect(
        await store.db.get(
          "SELECT count(*) AS n FROM transactions WHERE typeof(amount) <> 'integer' OR amount <= 0 OR (balance_after IS NOT NULL AND typeof(balance_after) <> 'integer')",
        ),
      ).toEqual({ n: 0 })
      const firsts = await store.db.all<{ category: string }>(
        `SELECT (SELECT category FROM transactions t WHERE t.account_id = a.id ORDER BY booking_date_time, seq LIMIT 1) AS category
         FROM accounts a`,
      )
      expect(new Set(firsts.map((row) => row.category))).toEqual(new Set(['opening_balance']))
    })
  })

  test('every transfer between own accounts has its opposite leg', async () => {
    await withBank(async (store) => {
      const legs = await store.db.all<{
        transfer_id: string
        n: number
        credits: number
        amounts: number
        accounts: number
        customers: number
        times: number
      }>(
        `SELECT transfer_id, count(*) AS n, sum(credit_debit = 'credit') AS credits, count(DISTINCT amount) AS amounts,
           count(DISTINCT t.account_id) AS accounts, count(DISTINCT a.customer_id) AS customers,
           count(DISTINCT booking_date_time) AS times
         FROM transactions t JOIN accounts a ON a.id = t.account_id
         WHERE transfer_id IS NOT NULL GROUP BY transfer_id`,
      )
      expect(legs.length).toBeGreaterThan(50)
      for (const leg of legs)
        expect(leg).toMatchObject({
          n: 2,
          credits: 1,
          amounts: 1,
          accounts: 2,
          customers: 1,
          times: 1,
        })
    })
  })

  test('shape: ≥ 50 customers with 1–4 accounts, ≥ 3 test users with several accounts, all categories, 12 months', async () => {
    await withBank(async (store) => {
      expect(await store.customers.count()).toBeGreaterThanOrEqual(50)
      const perCustomer = await store.db.all<{ n: number }>(
        'SELECT count(a.id) AS n FROM customers c LEFT JOIN accounts a ON a.customer_id = c.id GROUP BY c.id',
      )
      expect(Math.min(...perCustomer.map((r) => r.n))).toBeGreaterThanOrEqual(1)
      expect(Math.max(...perCustomer.map((r) => r.n))).toBeLessThanOrEqual(4)
      const users = await store.testUsers.list()
      expect(users.length).toBeGreaterThanOrEqual(3)
      for (const user of users) {
        expect(user.oneTimeCode).toMatch(/^\d{6}$/)
        expect(
          (await store.accounts.listForCustomer(user.customerId)).length,
        ).toBeGreaterThanOrEqual(2)
      }
      const categories = await store.db.all<{ category: string }>(
        'SELECT DISTINCT category FROM transactions ORDER BY 1',
      )
      expect(categories.map((r) => r.category)).toEqual([...CATEGORIES].sort())
      const months = await store.db.all<{ month: string }>(
        'SELECT DISTINCT substr(booking_date_time, 1, 7) AS month FROM transactions ORDER BY 1',
      )
      expect(months).toHaveLength(12)
      expect(months.at(-1)?.month).toBe('2026-10')
      const pending = await store.db.get<{ n: number; earliest: string }>(
        "SELECT count(*) AS n, min(booking_date_time) AS earliest FROM transactions WHERE status = 'pending'",
      )
      expect(pending?.n).toBeGreaterThan(0)
      expect((pending?.earliest ?? '') >= '2026-10-30').toBe(true)
      const payees = await store.db.all<{ n: number }>(
        'SELECT count(*) AS n FROM payees GROUP BY customer_id',
      )
      expect(payees.every((r) => r.n >= 3 && r.n <= 8)).toBe(true)
    })
  })

  test('identifiers are valid and current accounts never go far below zero', async () => {
    await withBank(async (store) => {
      const ibans = await store.db.all<{ iban: string }>(
        'SELECT iban FROM accounts WHERE iban IS NOT NULL UNION ALL SELECT iban FROM payees WHERE iban IS NOT NULL',
      )
      expect(ibans.length).toBeGreaterThan(0)
      for (const { iban } of ibans) expect(isValidIban(iban), iban).toBe(true)
      if (definition.identifiers === 'uk') {
        expect(
          await store.db.get(
            "SELECT count(*) AS n FROM accounts WHERE type <> 'credit_card' AND sort_code IS NULL",
          ),
        ).toEqual({ n: 0 })
      }
      const lowest = await store.db.get<{ low: number; currency: string }>(
        "SELECT min(t.balance_after) AS low, a.currency FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE a.type = 'current' AND a.currency = ?",
        [definition.currency],
      )
      // The largest arranged overdraft is 1,000 GBP-equivalent; fixed bills may dip slightly past it.
      const priceLevel = { GBP: 1, EUR: 1.15, SEK: 12.5 }[definition.currency as 'GBP'] ?? 1
      expect(lowest?.low).toBeGreaterThan(-1500 * priceLevel * 100)
    })
  })
})

describe('summaries', () => {
  test('seedSandbox reports what the files hold, including the published test users', async () => {
    expect(summary.seed).toBe(42)
    expect(summary.asOf).toBe(DEFAULT_AS_OF)
    expect(summary.banks.map((b) => b.id)).toEqual(BANKS.map((b) => b.id))
    for (const bank of summary.banks) {
      const store = await openBankDatabase(bank.file, { readonly: true })
      try {
        expect({
          customers: await store.customers.count(),
          accounts: await store.accounts.count(),
          transactions: await store.transactions.count(),
          payees: await store.payees.count(),
          testUsers: (await store.testUsers.list()).map(
            ({ username, password, oneTimeCode, customerName }) => ({
              username,
              password,
              oneTimeCode,
              customerName,
            }),
          ),
        }).toEqual({
          customers: bank.customers,
          accounts: bank.accounts,
          transactions: bank.transactions,
          payees: bank.payees,
          testUsers: bank.testUsers,
        })
      } finally {
        await store.close()
      }
      expect(bank.testUsers.map((u) => u.username)).toEqual(['alice', 'bob', 'carol', 'dave'])
      expect(bank.transactionsPerSecond).toBeGreaterThan(0)
    }
  })
})

describe('failure leaves existing data untouched', () => {
  test('invalid options are refused before anything is written', async () => {
    const before = snapshot(first.dir)
    await expect(seedSandbox({ dataDir: first.dir, customersPerBank: 0 })).rejects.toThrow(
      'customersPerBank must be an integer of at least 1, got 0',
    )
    await expect(seedSandbox({ dataDir: first.dir, customersPerBank: 2.5 })).rejects.toThrow(
      /customersPerBank/,
    )
    await expect(seedSandbox({ dataDir: first.dir, asOf: '2026-02-30' })).rejects.toThrow(
      "asOf must be a calendar date as YYYY-MM-DD, got '2026-02-30'",
    )
    await expect(seedSandbox({ dataDir: first.dir, banks: ['nowhere'] })).rejects.toThrow(
      "unknown bank id 'nowhere'; known banks: aurora, meridian, fjord",
    )
    await expect(seedSandbox({ dataDir: first.dir, seed: -1 })).rejects.toThrow(/seed/)
    await expect(seedSandbox({ dataDir: first.dir, banks: [] })).rejects.toBeInstanceOf(
      SeedOptionsError,
    )
    await expect(seedSandbox({ dataDir: first.dir, asOf: 'soon' })).rejects.toBeInstanceOf(
      SeedOptionsError,
    )
    expect(snapshot(first.dir)).toEqual(before)
  })

  test('an error thrown mid-seed leaves the previous folder byte-for-byte as it was', async () => {
    const before = snapshot(first.dir)
    let calls = 0
    await expect(
      seedSandbox({
        dataDir: first.dir,
        seed: 99,
        onProgress: (progress) => {
          if (progress.bankId === 'meridian' && ++calls === 2) throw new Error('interrupted')
        },
      }),
    ).rejects.toThrow('interrupted')
    expect(calls).toBe(2)
    expect(snapshot(first.dir)).toEqual(before)
  })
})
