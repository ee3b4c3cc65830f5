/** Payees a customer has saved: people and businesses they pay by bank transfer. */
import { insertRows } from '../bulk-insert.js'
import type { Executor } from '../database.js'

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
      return insertRows(
        db,
        { table: 'payees', columns: PAYEE_COLUMNS },
        payees.map((p) => [
          p.id,
          p.customerId,
          p.name,
          p.iban,
          p.sortCode,
          p.accountNumber,
          p.reference,
        ]),
      )
    },
  }
}

export type PayeeRepository = ReturnType<typeof createPayeeRepository>
