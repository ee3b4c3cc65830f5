/** Transactions of one bank: keyset-paginated history and balances computed from the rows themselves. */
import { type BulkInsert, type BulkValue, bulkInsertScript, insertRows } from '../bulk-insert.js'
import type { Executor, Query, SqlValue } from '../database.js'

export const CREDIT_DEBIT = ['credit', 'debit'] as const
export type CreditDebit = (typeof CREDIT_DEBIT)[number]

export const TRANSACTION_STATUSES = ['booked', 'pending'] as const
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number]

export interface TransactionRecord {
  id: string
  accountId: string
  /** ISO 8601 UTC, second precision: '2026-10-31T14:05:00Z'. */
  bookingDateTime: string
  valueDateTime: string | null
  /** Minor units, always positive; the direction is `creditDebit`. */
  amount: number
  creditDebit: CreditDebit
  status: TransactionStatus
  /** How the money moved: 'card', 'direct_debit', 'standing_order', 'transfer', 'atm', … */
  kind: string
  description: string
  merchantName: string | null
  /** ISO 18245 merchant category code, four digits, card and ATM transactions only. */
  merchantCategoryCode: string | null
  category: string
  counterpartyName: string | null
  counterpartyAccount: string | null
  reference: string | null
  /** Both legs of a transfer between a customer's own accounts share this id. */
  transferId: string | null
  /** Booked balance after this transaction, in minor units; null while pending. */
  balanceAfter: number | null
}

export const TRANSACTION_COLUMNS = [
  'seq',
  'account_id',
  'booking_date_time',
  'value_date_time',
  'amount',
  'credit_debit',
  'status',
  'kind',
  'description',
  'merchant_name',
  'merchant_category_code',
  'category',
  'counterparty_name',
  'counterparty_account',
  'reference',
  'transfer_id',
  'balance_after',
] as const

/** The public id of the transaction stored as `seq`: `tx_` and ten digits, sortable as text. */
export function transactionIdOf(seq: number): string {
  return `tx_${String(seq).padStart(10, '0')}`
}

/**
 * The `seq` behind a public transaction id, or undefined when `id` is not exactly one this bank
 * issues. A digit loop rather than a regular expression: the seed calls it for every row.
 */
export function transactionSeqOf(id: string): number | undefined {
  if (id.length !== 13 || !id.startsWith('tx_')) return undefined
  let seq = 0
  for (let index = 3; index < 13; index++) {
    const digit = id.charCodeAt(index) - 48
    if (digit < 0 || digit > 9) return undefined
    seq = seq * 10 + digit
  }
  return seq
}

const SELECT = `SELECT printf('tx_%010d', seq) AS id, account_id AS accountId, booking_date_time AS bookingDateTime,
  value_date_time AS valueDateTime, amount, credit_debit AS creditDebit, status, kind, description,
  merchant_name AS merchantName, merchant_category_code AS merchantCategoryCode, category,
  counterparty_name AS counterpartyName, counterparty_account AS counterpartyAccount, reference,
  transfer_id AS transferId, balance_after AS balanceAfter FROM transactions`

/** The columns of a page row, in the order {@link fromPageRow} reads them. */
const PAGE_COLUMNS =
  'id, accountId, bookingDateTime, valueDateTime, amount, creditDebit, status, kind, description, merchantName, merchantCategoryCode, category, counterpartyName, counterpartyAccount, reference, transferId, balanceAfter'

type PageRow = [
  id: string,
  accountId: string,
  bookingDateTime: string,
  valueDateTime: string | null,
  amount: number,
  creditDebit: CreditDebit,
  status: TransactionStatus,
  kind: string,
  description: string,
  merchantName: string | null,
  merchantCategoryCode: string | null,
  category: string,
  counterpartyName: string | null,
  counterpartyAccount: string | null,
  reference: string | null,
  transferId: string | null,
  balanceAfter: number | null,
]

/** Booking time, then id (the zero-padded `seq`): the order of the index the page walks. */
function comparePageOrder(a: TransactionRecord, b: TransactionRecord, order: 'ASC' | 'DESC') {
  const ascending =
    a.bookingDateTime === b.bookingDateTime
      ? a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0
      : a.bookingDateTime < b.bookingDateTime
        ? -1
        : 1
  return order === 'ASC' ? ascending : -ascending
}

function inPageOrder(rows: readonly TransactionRecord[], order: 'ASC' | 'DESC'): boolean {
  for (let index = 1; index < rows.length; index++) {
    if (
      comparePageOrder(
        rows[index - 1] as TransactionRecord,
        rows[index] as TransactionRecord,
        order,
      ) > 0
    )
      return false
  }
  return true
}

function fromPageRow(row: PageRow): TransactionRecord {
  const [id, accountId, bookingDateTime, valueDateTime, amount, creditDebit, status, kind] = row
  return {
    id,
    accountId,
    bookingDateTime,
    valueDateTime,
    amount,
    creditDebit,
    status,
    kind,
    description: row[8],
    merchantName: row[9],
    merchantCategoryCode: row[10],
    category: row[11],
    counterpartyName: row[12],
    counterpartyAccount: row[13],
    reference: row[14],
    transferId: row[15],
    balanceAfter: row[16],
  }
}

export const MAX_PAGE_SIZE = 100

export interface TransactionPageOptions {
  /** 1 to 100; default 100. */
  limit?: number
  /** The `nextCursor` of the previous page: the rows older than it. */
  after?: string
  /** The `prevCursor` of a page: the rows newer than it, the page before it. Not with `after`. */
  before?: string
  /** Inclusive lower bound on the booking date-time (ISO 8601, any offset; a date means its midnight UTC). */
  bookedFrom?: string
  /** Exclusive upper bound on the booking date-time. */
  bookedTo?: string
  status?: TransactionStatus
  creditDebit?: CreditDebit
  /** Case-insensitive substring of the description, merchant, counterparty or reference. */
  text?: string
}

export interface TransactionPage {
  transactions: TransactionRecord[]
  /** Pass as `after` for the next (older) page; undefined on the last page. */
  nextCursor: string | undefined
  /** Pass as `before` for the previous (newer) page; undefined on the first page. */
  prevCursor: string | undefined
}

/** A cursor, page size or date filter the caller got wrong; a resource API answers it with 400. */
export class InvalidQueryError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidQueryError'
  }
}

/** Balances in minor units, summed in SQL from the transactions so they reconcile by construction. */
export interface AccountBalances {
  accountId: string
  currency: string
  /** Sum of booked credits minus booked debits. */
  booked: number
  /**
   * What the holder can spend now: booked minus pending debits, plus the credit limit for a card.
   * Pending credits are not counted until they book (the cautious reading most banks show).
   */
  available: number
  pendingDebits: number
  pendingCredits: number
  creditLimit: number | null
}

function toUtcSeconds(text: string, name: string): string {
  const time = Date.parse(text)
  if (Number.isNaN(time))
    throw new InvalidQueryError(`${name} is not an ISO 8601 date-time: '${text}'`)
  return `${new Date(time).toISOString().slice(0, 19)}Z`
}

/** Encodes a page position; opaque to callers, so its shape can change without breaking them. */
export function encodeCursor(bookingDateTime: string, id: string): string {
  return Buffer.from(JSON.stringify([bookingDateTime, id])).toString('base64url')
}

export function decodeCursor(cursor: string): [bookingDateTime: string, id: string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]]
    }
  } catch {
    // fall through to the same error as a well-formed but wrong value
  }
  throw new InvalidQueryError('the page cursor is not one this server issued')
}

/**
 * The SQL for one page, newest first with `seq` breaking ties so the order is total. The cursor is a
 * row-value comparison on the index's own columns, so SQLite seeks straight to it in
 * `transactions_by_account_booking` and walks backwards: cost grows with the page, not the history.
 * Exported so tests and the benchmark can EXPLAIN exactly what runs.
 */
export function buildTransactionPageQuery(
  accountId: string,
  options: TransactionPageOptions = {},
): { sql: string; params: SqlValue[]; limit: number; order: 'ASC' | 'DESC' } {
  const limit = options.limit ?? MAX_PAGE_SIZE
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidQueryError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`)
  }
  const where = ['account_id = ?']
  const params: SqlValue[] = [accountId]
  if (options.after !== undefined && options.before !== undefined) {
    throw new InvalidQueryError('give after or before, not both')
  }
  const cursor = options.after ?? options.before
  if (cursor !== undefined) {
    const [bookingDateTime, id] = decodeCursor(cursor)
    const seq = transactionSeqOf(id)
    if (seq === undefined)
      throw new InvalidQueryError('the page cursor is not one this server issued')
    where.push(`(booking_date_time, seq) ${options.before === undefined ? '<' : '>'} (?, ?)`)
    params.push(bookingDateTime, seq)
  }
  if (options.bookedFrom !== undefined) {
    where.push('booking_date_time >= ?')
    params.push(toUtcSeconds(options.bookedFrom, 'bookedFrom'))
  }
  if (options.bookedTo !== undefined) {
    where.push('booking_date_time < ?')
    params.push(toUtcSeconds(options.bookedTo, 'bookedTo'))
  }
  if (options.status !== undefined) {
    if (!TRANSACTION_STATUSES.includes(options.status))
      throw new InvalidQueryError(`unknown status '${options.status}'`)
    where.push('status = ?')
    params.push(options.status)
  }
  if (options.creditDebit !== undefined) {
    if (!CREDIT_DEBIT.includes(options.creditDebit)) {
      throw new InvalidQueryError(
        `creditDebit must be credit or debit, got '${options.creditDebit}'`,
      )
    }
    where.push('credit_debit = ?')
    params.push(options.creditDebit)
  }
  if (options.text !== undefined && options.text !== '') {
    const pattern = `%${options.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const like = "LIKE ? ESCAPE '\\'"
    where.push(
      `(description ${like} OR merchant_name ${like} OR counterparty_name ${like} OR reference ${like})`,
    )
    params.push(pattern, pattern, pattern, pattern)
  }
  params.push(limit + 1)
  // Paging back walks the index forwards from the cursor; the caller reverses the rows.
  const order = options.before === undefined ? 'DESC' : 'ASC'
  return {
    sql: `${SELECT} WHERE ${where.join(' AND ')} ORDER BY booking_date_time ${order}, seq ${order} LIMIT ?`,
    params,
    limit,
    order,
  }
}

const TRANSACTIONS_TABLE: BulkInsert = { table: 'transactions', columns: TRANSACTION_COLUMNS }

function transactionRow(t: TransactionRecord): BulkValue[] {
  const seq = transactionSeqOf(t.id)
  if (seq === undefined) throw new TypeError(`not a transaction id: '${t.id}'`)
  return [
    seq,
    t.accountId,
    t.bookingDateTime,
    t.valueDateTime,
    t.amount,
    t.creditDebit,
    t.status,
    t.kind,
    t.description,
    t.merchantName,
    t.merchantCategoryCode,
    t.category,
    t.counterpartyName,
    t.counterpartyAccount,
    t.reference,
    t.transferId,
    t.balanceAfter,
  ]
}

/** The INSERT script for `records`, for a bulk loader that sends several tables in one `exec`. */
export function insertTransactionsScript(records: readonly TransactionRecord[]): Query {
  return bulkInsertScript(TRANSACTIONS_TABLE, records.map(transactionRow))
}

export function createTransactionRepository(db: Executor) {
  return {
    async get(id: string): Promise<TransactionRecord | undefined> {
      const seq = transactionSeqOf(id)
      if (seq === undefined) return undefined
      return db.get<TransactionRecord>(
        { purpose: 'read transaction', sql: `${SELECT} WHERE seq = ?` },
        [seq],
      )
    },

    /**
     * One page of an account's transactions, newest first, filtered. Keyset pagination: rows added
     * while a client pages never shift later pages, and page 1,000 costs what page 1 costs.
     * @throws InvalidQueryError for a bad cursor, limit, status or date.
     */
    async listForAccount(
      accountId: string,
      options: TransactionPageOptions = {},
    ): Promise<TransactionPage> {
      const { sql, params, limit, order } = buildTransactionPageQuery(accountId, options)
      // The page as one JSON text of row arrays: node-sqlite3 builds a JS object per row and
      // column on the main thread, which measured as most of a page's cost; JSON.parse is not.
      const page = await db.get<{ rows: string }>(
        {
          purpose: 'list transactions of an account',
          sql: `SELECT json_group_array(json_array(${PAGE_COLUMNS})) AS rows FROM (${sql})`,
        },
        params,
      )
      const rows = (JSON.parse(page?.rows ?? '[]') as PageRow[]).map(fromPageRow)
      // SQLite aggregates the subquery's rows in the order it yields them; an ORDER BY inside the
      // aggregate would sort them again (a quarter of the page's cost), so the order is checked.
      if (!inPageOrder(rows, order)) rows.sort((a, b) => comparePageOrder(a, b, order))
      const more = rows.length > limit
      if (more) rows.length = limit
      const backwards = options.before !== undefined
      if (backwards) rows.reverse()
      const first = rows[0]
      const last = rows[rows.length - 1]
      // Walking forwards, a page has a next page when more rows followed; it has a previous page
      // when it started from a cursor. Walking back, the reverse.
      const hasNext = backwards ? true : more
      const hasPrev = backwards ? more : options.after !== undefined
      return {
        transactions: rows,
        nextCursor:
          hasNext && last !== undefined ? encodeCursor(last.bookingDateTime, last.id) : undefined,
        prevCursor:
          hasPrev && first !== undefined
            ? encodeCursor(first.bookingDateTime, first.id)
            : undefined,
      }
    },

    /** Booked and available balances of an account, or undefined if there is no such account. */
    async balances(accountId: string): Promise<AccountBalances | undefined> {
      return db.get<AccountBalances>(
        {
          purpose: 'compute balances',
          sql: `SELECT a.id AS accountId, a.currency, t.booked,
              t.booked - t.pendingDebits + coalesce(a.credit_limit, 0) AS available,
              t.pendingDebits, t.pendingCredits, a.credit_limit AS creditLimit
            FROM accounts a, (
              SELECT
                coalesce(sum(CASE WHEN status = 'booked' THEN
                  CASE credit_debit WHEN 'credit' THEN amount ELSE -amount END END), 0) AS booked,
                coalesce(sum(CASE WHEN status = 'pending' AND credit_debit = 'debit' THEN amount END), 0) AS pendingDebits,
                coalesce(sum(CASE WHEN status = 'pending' AND credit_debit = 'credit' THEN amount END), 0) AS pendingCredits
              FROM transactions WHERE account_id = ?1
            ) t
            WHERE a.id = ?1`,
        },
        [accountId],
      )
    },

    async count(): Promise<number> {
      const row = await db.get<{ n: number }>({
        purpose: 'count transactions',
        sql: 'SELECT count(*) AS n FROM transactions',
      })
      return row?.n ?? 0
    },

    /** Bulk insert for the seed: one statement per `chunkSize` rows. Call inside a transaction. */
    insertMany(transactions: readonly TransactionRecord[]): Promise<number> {
      return insertRows(db, TRANSACTIONS_TABLE, transactions.map(transactionRow))
    },
  }
}

export type TransactionRepository = ReturnType<typeof createTransactionRepository>
