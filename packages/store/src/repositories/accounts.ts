/** Accounts of one bank: current, savings and credit card, identified by IBAN and/or sort code. */
import type { AccountIdentification } from '@sandbox/spec-types/banking/account-identification'
import { type BulkInsert, type BulkValue, bulkInsertScript, insertRows } from '../bulk-insert.js'
import type { Executor, Query } from '../database.js'

export const ACCOUNT_TYPES = ['current', 'savings', 'credit_card'] as const
export type AccountType = (typeof ACCOUNT_TYPES)[number]

export const ACCOUNT_STATUSES = ['enabled', 'closed'] as const
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number]

export interface AccountRecord {
  id: string
  customerId: string
  type: AccountType
  currency: string
  name: string
  iban: string | null
  /** UK sort code, six digits without dashes. */
  sortCode: string | null
  accountNumber: string | null
  /** Credit cards: the card number with all but the last four digits hidden. */
  maskedPan: string | null
  status: AccountStatus
  openedAt: string
  /** Credit cards only, in minor units. */
  creditLimit: number | null
}

const SELECT = `SELECT id, customer_id AS customerId, type, currency, name, iban, sort_code AS sortCode,
  account_number AS accountNumber, masked_pan AS maskedPan, status, opened_at AS openedAt,
  credit_limit AS creditLimit FROM accounts`

export const ACCOUNT_COLUMNS = [
  'id',
  'customer_id',
  'type',
  'currency',
  'name',
  'iban',
  'sort_code',
  'account_number',
  'masked_pan',
  'status',
  'opened_at',
  'credit_limit',
] as const

const ACCOUNTS_TABLE: BulkInsert = { table: 'accounts', columns: ACCOUNT_COLUMNS }

function accountRow(a: AccountRecord): BulkValue[] {
  return [
    a.id,
    a.customerId,
    a.type,
    a.currency,
    a.name,
    a.iban,
    a.sortCode,
    a.accountNumber,
    a.maskedPan,
    a.status,
    a.openedAt,
    a.creditLimit,
  ]
}

/** The INSERT script for `records`, for a bulk loader that sends several tables in one `exec`. */
export function insertAccountsScript(records: readonly AccountRecord[]): Query {
  return bulkInsertScript(ACCOUNTS_TABLE, records.map(accountRow))
}

type Identified = Pick<AccountRecord, 'iban' | 'sortCode' | 'accountNumber'>

/**
 * Every identification an account answers to, the one it is known by first: sort code and
 * account number where it has them (a UK account also has an IBAN), else its IBAN; none for a
 * card, which has no account number to pay to.
 */
export function accountIdentificationsOf(account: Identified): AccountIdentification[] {
  const found: AccountIdentification[] = []
  if (account.sortCode !== null && account.accountNumber !== null) {
    found.push({
      scheme: 'SortCodeAccountNumber',
      sortCode: account.sortCode,
      accountNumber: account.accountNumber,
    })
  }
  if (account.iban !== null) found.push({ scheme: 'IBAN', iban: account.iban })
  return found
}

/** The identification an account is known by (see {@link accountIdentificationsOf}). */
export function accountIdentificationOf(account: Identified): AccountIdentification | undefined {
  return accountIdentificationsOf(account)[0]
}

export function createAccountRepository(db: Executor) {
  return {
    get(id: string): Promise<AccountRecord | undefined> {
      return db.get<AccountRecord>({ purpose: 'read account', sql: `${SELECT} WHERE id = ?` }, [id])
    },
    listForCustomer(customerId: string): Promise<AccountRecord[]> {
      return db.all<AccountRecord>(
        {
          purpose: 'list accounts of a customer',
          sql: `${SELECT} WHERE customer_id = ? ORDER BY opened_at, id`,
        },
        [customerId],
      )
    },
    /** Every account id in id order; for checks and benchmarks, not for request paths. */
    async listIds(): Promise<string[]> {
      const rows = await db.all<{ id: string }>({
        purpose: 'list account ids',
        sql: 'SELECT id FROM accounts ORDER BY id',
      })
      return rows.map((row) => row.id)
    },
    async count(): Promise<number> {
      const row = await db.get<{ n: number }>({
        purpose: 'count accounts',
        sql: 'SELECT count(*) AS n FROM accounts',
      })
      return row?.n ?? 0
    },
    insertMany(accounts: readonly AccountRecord[]): Promise<number> {
      return insertRows(db, ACCOUNTS_TABLE, accounts.map(accountRow))
    },
  }
}

export type AccountRepository = ReturnType<typeof createAccountRepository>
