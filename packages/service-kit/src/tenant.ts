/** A bank as the services see it: its definition and its own database (DESIGN principle 1). */
import type { Bank } from '@sandbox/spec-types/banking/bank'
import type { Database } from '@sandbox/store/database'

export interface BankTenant {
  readonly bank: Bank
  readonly db: Database
}

/** One health probe per bank: its database answers a read of its own bank row. */
export function bankDatabaseProbes(tenants: readonly BankTenant[]) {
  return tenants.map(({ bank, db }) => ({
    name: `bank ${bank.id} database`,
    probe: async () => {
      const row = await db.get<{ id: string }>({
        purpose: 'health: read bank row',
        sql: 'SELECT id FROM bank LIMIT 1',
      })
      if (row?.id !== bank.id)
        throw new Error(`${db.file} holds ${row?.id ?? 'no bank'}, not ${bank.id}`)
    },
  }))
}
