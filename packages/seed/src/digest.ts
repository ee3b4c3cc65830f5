/** A content digest of a bank file: sha256 over every table's rows in primary-key order. */
import { createHash } from 'node:crypto'
import { openDatabase } from '@sandbox/store/database'

/**
 * Hashes a canonical dump, not the file bytes: SQLite may lay out identical data differently (page
 * order, free pages, WAL state), while the rows are what "the same seed gives the same data" means.
 * Each table contributes its name, its column names and one JSON line per row.
 */
export async function digestBankDatabase(file: string): Promise<string> {
  const db = await openDatabase(file, { readonly: true })
  try {
    const hash = createHash('sha256')
    const tables = await db.all<{ name: string }>({
      purpose: 'list tables for digest',
      sql: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    })
    for (const { name } of tables) {
      const columns = await db.all<{ name: string; pk: number }>(
        {
          purpose: 'read columns for digest',
          sql: 'SELECT name, pk FROM pragma_table_info(?) ORDER BY cid',
        },
        [name],
      )
      const keys = columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => `"${c.name}"`)
      const order = keys.length > 0 ? keys.join(', ') : columns.map((c) => `"${c.name}"`).join(', ')
      hash.update(`table ${name} ${JSON.stringify(columns.map((c) => c.name))}\n`)
      await db.each<Record<string, unknown>>(
        { purpose: `dump ${name} for digest`, sql: `SELECT * FROM "${name}" ORDER BY ${order}` },
        undefined,
        (row) => {
          hash.update(`${JSON.stringify(Object.values(row))}\n`)
        },
      )
    }
    return hash.digest('hex')
  } finally {
    await db.close()
  }
}
