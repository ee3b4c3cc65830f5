import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type Database, DatabaseError, openDatabase } from '../src/database.js'
import { temporaryDirectory } from './temp-file.js'

let temp: ReturnType<typeof temporaryDirectory>
let db: Database

beforeEach(async () => {
  temp = temporaryDirectory()
  db = await openDatabase(temp.file('test.sqlite'))
  await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE) STRICT')
})
afterEach(async () => {
  await db.close().catch(() => undefined)
  temp.remove()
})

describe('openDatabase', () => {
  test('applies WAL, synchronous=NORMAL and foreign keys on open', async () => {
    expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' })
    expect(await db.get('PRAGMA synchronous')).toEqual({ synchronous: 1 })
    expect(await db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 })
  })

  test('run, get and all with positional and named parameters', async () => {
    expect(await db.run('INSERT INTO t (v) VALUES (?)', ['a'])).toEqual({ changes: 1, lastID: 1 })
    await db.run('INSERT INTO t (v) VALUES ($v)', { $v: 'b' })
    expect(await db.get<{ v: string }>('SELECT v FROM t WHERE id = ?', [2])).toEqual({ v: 'b' })
    expect(await db.get('SELECT v FROM t WHERE id = 99')).toBeUndefined()
    expect(await db.all('SELECT v FROM t ORDER BY id')).toEqual([{ v: 'a' }, { v: 'b' }])
    const seen: string[] = []
    expect(
      await db.each<{ v: string }>('SELECT v FROM t ORDER BY id', [], (row) => seen.push(row.v)),
    ).toBe(2)
    expect(seen).toEqual(['a', 'b'])
  })

  test('errors name the purpose and keep the SQLite code, and the connection stays usable', async () => {
    await db.run('INSERT INTO t (v) VALUES (?)', ['a'])
    const failure = db.run({ purpose: 'insert test row', sql: 'INSERT INTO t (v) VALUES (?)' }, [
      'a',
    ])
    await expect(failure).rejects.toBeInstanceOf(DatabaseError)
    await expect(failure).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT',
      purpose: 'insert test row',
      message: expect.stringMatching(/^insert test row: SQLITE_CONSTRAINT/),
    })
    await expect(db.get('SELEC nonsense')).rejects.toMatchObject({ purpose: 'SELEC nonsense' })
    expect(await db.get('SELECT count(*) AS n FROM t')).toEqual({ n: 1 })
  })

  test('a closed database rejects instead of crashing', async () => {
    await db.close()
    await expect(db.get('SELECT 1')).rejects.toThrow(/database is closed/)
  })

  test('readonly connections cannot write', async () => {
    const reader = await openDatabase(db.file, { readonly: true })
    await expect(reader.run("INSERT INTO t (v) VALUES ('x')")).rejects.toMatchObject({
      code: 'SQLITE_READONLY',
    })
    await reader.close()
  })

  test('opening a missing directory fails with a clear error', async () => {
    await expect(openDatabase(temp.file('missing/dir/x.sqlite'))).rejects.toThrow(
      /open .*x\.sqlite/,
    )
  })
})

describe('transaction', () => {
  test('commits on success and rolls back everything when the callback throws', async () => {
    await db.transaction(async (tx) => {
      await tx.run("INSERT INTO t (v) VALUES ('kept')")
    })
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO t (v) VALUES ('lost')")
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'kept' }])
  })

  test('concurrent transactions on one connection never interleave', async () => {
    const events: string[] = []
    const slow = (name: string) =>
      db.transaction(async (tx) => {
        events.push(`${name} start`)
        await tx.run('INSERT INTO t (v) VALUES (?)', [`${name}1`])
        await new Promise((resolve) => setTimeout(resolve, 20))
        await tx.run('INSERT INTO t (v) VALUES (?)', [`${name}2`])
        events.push(`${name} end`)
        if (name === 'b') throw new Error('b fails')
      })
    const results = await Promise.allSettled([slow('a'), slow('b'), slow('c')])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end'])
    // b's rollback took only b's rows: a and c committed, with no statement of one inside another.
    expect(await db.all('SELECT v FROM t ORDER BY id')).toEqual([
      { v: 'a1' },
      { v: 'a2' },
      { v: 'c1' },
      { v: 'c2' },
    ])
  })

  test('a statement outside a transaction waits for the open one instead of joining it', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const failing = db.transaction(async (tx) => {
      await tx.run("INSERT INTO t (v) VALUES ('inside')")
      await gate
      throw new Error('rolled back')
    })
    const outside = db.run("INSERT INTO t (v) VALUES ('outside')")
    release()
    await expect(failing).rejects.toThrow('rolled back')
    await outside
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'outside' }])
  })

  test('nested transactions are savepoints: an inner failure undoes only the inner work', async () => {
    await db.transaction(async (tx) => {
      await tx.run("INSERT INTO t (v) VALUES ('outer')")
      await expect(
        tx.transaction(async (inner) => {
          await inner.run("INSERT INTO t (v) VALUES ('inner')")
          throw new Error('inner fails')
        }),
      ).rejects.toThrow('inner fails')
    })
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'outer' }])
  })
})

describe('read connections', () => {
  test('serve reads concurrently and see every write committed before they began', async () => {
    const shared = await openDatabase(temp.file('shared.sqlite'), { readConnections: 2 })
    try {
      await shared.exec('CREATE TABLE n (id INTEGER PRIMARY KEY, v INTEGER NOT NULL) STRICT')
      await shared.run('INSERT INTO n VALUES (1, 0)')
      for (let value = 1; value <= 5; value++) {
        // The same statement again and again, on every connection: none keeps an old snapshot.
        expect(await shared.get('SELECT v FROM n WHERE id = 1')).toEqual({ v: value - 1 })
        await shared.run('UPDATE n SET v = ? WHERE id = 1', [value])
        expect(await shared.get('SELECT v FROM n WHERE id = 1')).toEqual({ v: value })
      }
      const reads = await Promise.all(
        Array.from({ length: 20 }, () => shared.all<{ v: number }>('SELECT v FROM n')),
      )
      expect(reads.every((rows) => rows[0]?.v === 5)).toBe(true)
      // Inside a transaction the writer reads its own uncommitted write.
      await shared.transaction(async (tx) => {
        await tx.run('UPDATE n SET v = 6 WHERE id = 1')
        expect(await tx.get('SELECT v FROM n WHERE id = 1')).toEqual({ v: 6 })
      })
      await expect(shared.run('INSERT INTO n VALUES (1, 1)')).rejects.toBeInstanceOf(DatabaseError)
    } finally {
      await shared.close()
    }
  })

  test('a statement that fails to prepare reports the error every time', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await db.get({ purpose: 'broken read', sql: 'SELEC 1' }).catch((e) => e)
      expect(error).toBeInstanceOf(DatabaseError)
      expect((error as DatabaseError).purpose).toBe('broken read')
    }
    expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 })
  })
})
