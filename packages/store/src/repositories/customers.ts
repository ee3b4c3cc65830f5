/** Customers of one bank: the people who hold accounts and, for a few, sandbox logins. */
import { type BulkInsert, type BulkValue, bulkInsertScript, insertRows } from '../bulk-insert.js'
import type { Executor, Query } from '../database.js'

export interface CustomerRecord {
  id: string
  givenName: string
  familyName: string
  email: string
  phone: string
  addressLine: string
  city: string
  postcode: string
  country: string
  dateOfBirth: string
  customerSince: string
}

const SELECT = `SELECT id, given_name AS givenName, family_name AS familyName, email, phone,
  address_line AS addressLine, city, postcode, country, date_of_birth AS dateOfBirth,
  customer_since AS customerSince FROM customers`

export const CUSTOMER_COLUMNS = [
  'id',
  'given_name',
  'family_name',
  'email',
  'phone',
  'address_line',
  'city',
  'postcode',
  'country',
  'date_of_birth',
  'customer_since',
] as const

const CUSTOMERS_TABLE: BulkInsert = { table: 'customers', columns: CUSTOMER_COLUMNS }

function customerRow(c: CustomerRecord): BulkValue[] {
  return [
    c.id,
    c.givenName,
    c.familyName,
    c.email,
    c.phone,
    c.addressLine,
    c.city,
    c.postcode,
    c.country,
    c.dateOfBirth,
    c.customerSince,
  ]
}

/** The INSERT script for `records`, for a bulk loader that sends several tables in one `exec`. */
export function insertCustomersScript(records: readonly CustomerRecord[]): Query {
  return bulkInsertScript(CUSTOMERS_TABLE, records.map(customerRow))
}

export function createCustomerRepository(db: Executor) {
  return {
    get(id: string): Promise<CustomerRecord | undefined> {
      return db.get<CustomerRecord>({ purpose: 'read customer', sql: `${SELECT} WHERE id = ?` }, [
        id,
      ])
    },
    /** Customers in id order, `limit` at a time after the `after` id (keyset, for the console). */
    list(options: { limit?: number; after?: string } = {}): Promise<CustomerRecord[]> {
      return db.all<CustomerRecord>(
        { purpose: 'list customers', sql: `${SELECT} WHERE id > ? ORDER BY id LIMIT ?` },
        [options.after ?? '', Math.min(Math.max(options.limit ?? 100, 1), 1000)],
      )
    },
    /**
     * Customers whose name, email or id contains `text` (case-insensitive), in id order, at most
     * `limit` (the sandbox console's search).
     */
    search(text: string, limit = 20): Promise<CustomerRecord[]> {
      const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      return db.all<CustomerRecord>(
        {
          purpose: 'search customers',
          sql: `${SELECT} WHERE given_name || ' ' || family_name LIKE ?1 ESCAPE '\\'
            OR email LIKE ?1 ESCAPE '\\' OR id LIKE ?1 ESCAPE '\\' ORDER BY id LIMIT ?2`,
        },
        [pattern, Math.min(Math.max(limit, 1), 100)],
      )
    },
    async count(): Promise<number> {
      const row = await db.get<{ n: number }>({
        purpose: 'count customers',
        sql: 'SELECT count(*) AS n FROM customers',
      })
      return row?.n ?? 0
    },
    insertMany(customers: readonly CustomerRecord[]): Promise<number> {
      return insertRows(db, CUSTOMERS_TABLE, customers.map(customerRow))
    },
  }
}

export type CustomerRepository = ReturnType<typeof createCustomerRepository>
