import { afterEach, beforeEach, expect, test } from 'vitest'
import { openBankDatabase } from '../src/bank-database.js'
import { bankMigrations } from '../src/bank-schema.js'
import { openDatabase } from '../src/database.js'
import { type Migration, migrate } from '../src/migrations.js'
import { temporaryDirectory } from './temp-file.js'

let temp: ReturnType<typeof temporaryDirectory>
beforeEach(() => {
  temp = temporaryDirectory()
})
afterEach(() => temp.remove())

const fixedClock = () => new Date('2026-11-01T00:00:00Z')

test('the first open applies every bank migration, the second applies nothing', async () => {
  const file = temp.file('bank.sqlite')
  const first = await openBankDatabase(file, { now: fixedClock })
  expect(first.migrations).toEqual({
    applied: bankMigrations.map((m) => m.version),
    version: bankMigrations.length,
  })
  const tables = await first.db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
  )
  expect(tables.map((t) => t.name)).toEqual([
    'accounts',
    'bank',
    'clients',
    'customers',
    'grants',
    'payees',
    'payments',
    'refresh_tokens',
    'revoked_access_tokens',
    'schema_migrations',
    'test_users',
    'transactions',
  ])
  await first.close()
  const second = await openBankDatabase(file)
  expect(second.migrations).toEqual({ applied: [], version: bankMigrations.length })
  expect(await second.db.all('SELECT version, name, applied_at FROM schema_migrations')).toEqual([
    { version: 1, name: 'initial schema', applied_at: '2026-11-01T00:00:00.000Z' },
    {
      version: 2,
      name: 'oauth clients, grants and tokens',
      applied_at: '2026-11-01T00:00:00.000Z',
    },
    { version: 3, name: 'payments', applied_at: '2026-11-01T00:00:00.000Z' },
  ])
  await second.close()
})

test('payments (0003) apply on top of a file already at 0002, keeping its rows', async () => {
  const file = temp.file('at-0002.sqlite')
  const old = await openDatabase(file)
  await migrate(old, bankMigrations.slice(0, 2), { now: fixedClock })
  await old.exec(`
    INSERT INTO customers VALUES ('cus_1', 'Ada', 'Lovelace', 'ada@example.com', '+44', '1 High St',
      'Leeds', 'LS1 1AA', 'GB', '1990-01-01', '2015-03-01');
    INSERT INTO clients VALUES ('fintech', '{}', NULL, NULL, 100, 100);
    INSERT INTO grants VALUES ('grant-1', 'fintech', 'cus_1', 'active', 'payments', NULL, 100, 100,
      NULL, NULL, NULL);
  `)
  await old.close()

  const upgraded = await openBankDatabase(file)
  expect(upgraded.migrations).toEqual({ applied: [3], version: 3 })
  expect((await upgraded.grants.get('grant-1'))?.customerId).toBe('cus_1')
  expect(await upgraded.db.all('SELECT id FROM payments')).toEqual([])
  await upgraded.close()
})

test('a migration that fails part-way is rolled back whole and can be retried', async () => {
  const db = await openDatabase(temp.file('m.sqlite'))
  const one: Migration = { version: 1, name: 'one', up: 'CREATE TABLE a (x INTEGER)' }
  const broken: Migration = {
    version: 2,
    name: 'two',
    up: async (tx) => {
      await tx.exec('CREATE TABLE b (x INTEGER); INSERT INTO a VALUES (1)')
      await tx.exec('INSERT INTO no_such_table VALUES (1)')
    },
  }
  await expect(migrate(db, [one, broken])).rejects.toThrow(
    /migration 0002 'two' failed and was rolled back: .*no such table/,
  )
  expect(await db.all("SELECT name FROM sqlite_master WHERE name = 'b'")).toEqual([])
  expect(await db.all('SELECT * FROM a')).toEqual([])
  expect(await db.all('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }])
  const fixed: Migration = { version: 2, name: 'two', up: 'CREATE TABLE b (x INTEGER)' }
  expect(await migrate(db, [one, fixed])).toEqual({ applied: [2], version: 2 })
  await db.close()
})

test('a file from newer code, a renamed migration or a gap in versions is refused', async () => {
  const db = await openDatabase(temp.file('n.sqlite'))
  const one: Migration = { version: 1, name: 'one', up: 'CREATE TABLE a (x INTEGER)' }
  const two: Migration = { version: 2, name: 'two', up: 'CREATE TABLE b (x INTEGER)' }
  await migrate(db, [one, two])
  await expect(migrate(db, [one])).rejects.toThrow(/schema version 2 .*newer than this code knows/)
  await expect(migrate(db, [{ ...one, name: 'uno' }, two])).rejects.toThrow(
    /recorded migration 1 as 'one'/,
  )
  await expect(migrate(db, [one, { ...two, version: 3 }])).rejects.toThrow(/expected 2/)
  await db.close()
})

test('a migration edited after it was applied is refused, naming the way out', async () => {
  const file = temp.file('edited.sqlite')
  const db = await openDatabase(file)
  const one: Migration = { version: 1, name: 'one', up: 'CREATE TABLE a (x INTEGER)' }
  await migrate(db, [one])
  const edited: Migration = { ...one, up: 'CREATE TABLE a (x INTEGER, y TEXT)' }
  await expect(migrate(db, [edited])).rejects.toThrow(
    `${file} applied migration 1 ('one') in a form this code no longer has; reseed (npm start -- --reset)`,
  )
  expect(await migrate(db, [one])).toEqual({ applied: [], version: 1 })
  await db.close()
})
