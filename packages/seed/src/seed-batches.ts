/** Turns a generated bank into INSERT scripts of a few thousand transactions each: pure, no I/O. */
import type { Query } from '@sandbox/store/database'
import { type AccountRecord, insertAccountsScript } from '@sandbox/store/repositories/accounts'
import { type CustomerRecord, insertCustomersScript } from '@sandbox/store/repositories/customers'
import { insertPayeesScript, type PayeeRecord } from '@sandbox/store/repositories/payees'
import type { TestUserRecord } from '@sandbox/store/repositories/test-users'
import {
  insertTransactionsScript,
  type TransactionRecord,
} from '@sandbox/store/repositories/transactions'
import type { GeneratedBank } from './generate.js'

/** A published login and the name of the customer behind it. */
export interface SeededTestUserRecord extends TestUserRecord {
  customerName: string
}

/** One batch: its SQL (several tables, parents first) and what it adds. */
export interface SeedBatch {
  sql: string
  customers: number
  accounts: number
  transactions: number
  payees: number
  testUsers: SeededTestUserRecord[]
}

/** Transactions per batch: one script per batch, big enough that the per-call hop is noise. */
export const BATCH_TRANSACTIONS = 4000

/**
 * Yields the bank's rows as INSERT scripts, in generation order. Customers, accounts, transactions
 * and payees of one batch go in one script so that a single `exec` writes them all.
 */
export function* seedBatches(
  generated: GeneratedBank,
  batchTransactions = BATCH_TRANSACTIONS,
): Generator<SeedBatch> {
  let customers: CustomerRecord[] = []
  let accounts: AccountRecord[] = []
  let transactions: TransactionRecord[] = []
  let payees: PayeeRecord[] = []
  let testUsers: SeededTestUserRecord[] = []
  const render = (): SeedBatch => {
    const scripts: Query[] = [
      insertCustomersScript(customers),
      insertAccountsScript(accounts),
      insertTransactionsScript(transactions),
      insertPayeesScript(payees),
    ]
    const batch: SeedBatch = {
      sql: scripts
        .map((script) => script.sql)
        .filter((sql) => sql !== '')
        .join(';\n'),
      customers: customers.length,
      accounts: accounts.length,
      transactions: transactions.length,
      payees: payees.length,
      testUsers,
    }
    customers = []
    accounts = []
    transactions = []
    payees = []
    testUsers = []
    return batch
  }
  for (const data of generated.customers) {
    customers.push(data.customer)
    for (const account of data.accounts) accounts.push(account)
    for (const payee of data.payees) payees.push(payee)
    for (const row of data.transactions) transactions.push(row)
    if (data.testUser) {
      const customerName = `${data.customer.givenName} ${data.customer.familyName}`
      testUsers.push({ ...data.testUser, customerName })
    }
    if (transactions.length >= batchTransactions) yield render()
  }
  if (customers.length > 0) yield render()
}
