/** Payees a customer has saved: people and businesses they pay by bank transfer. */
import { type BulkInsert, type BulkValue, bulkInsertScript, insertRows } from '../bulk-insert.js'
import type { Executor, Query } from '../database.js'

export interface PayeeRecord {
  id: string
  customerId: string
  name: string
  iban: string | null
  sortCode: string | null
  accountNumber: string | null
  reference: string | null
}

const SELECT = `SELECT id, customer_id AS customerId, name, iban, sort_code AS sortCode,
  account_number AS accountNumber, reference FROM payees`

export const PAYEE_COLUMNS = [
  'id',
  'customer_id',
  'name',
  'iban',
  'sort_code',
  'account_number',
  'reference',
] as const

const PAYEES_TABLE: BulkInsert = { table: 'payees', columns: PAYEE_COLUMNS }

function payeeRow(p: PayeeRecord): BulkValue[] {
  return [p.id, p.customerId, p.name, p.iban, p.sortCode, p.accountNumber, p.reference]
}

/** The INSERT script for `records`, for a bulk loader that sends several tables in one `exec`. */
export function insertPayeesScript(records: readonly PayeeRecord[]): Query {
  return bulkInsertScript(PAYEES_TABLE, records.map(payeeRow))
}

export function createPayeeRepository(db: Executor) {
  return {
    listForCustomer(customerId: string): Promise<PayeeRecord[]> {
      return db.all<PayeeRecord>(
        {
          purpose: 'list payees of a customer',
          sql: `${SELECT} WHERE customer_id = ? ORDER BY name, id`,
        },
        [customerId],
      )
    },
    async count(): Promise<number> {
      const row = await db.get<{ n: number }>({
        purpose: 'count payees',
        sql: 'SELECT count(*) AS n FROM payees',
      })
      return row?.n ?? 0
    },
    insertMany(payees: readonly PayeeRecord[]): Promise<number> {
      return insertRows(db, PAYEES_TABLE, payees.map(payeeRow))
    },
  }
}

export type PayeeRepository = ReturnType<typeof createPayeeRepository>
