/** A promise wrapper over node-sqlite3: one connection, serialised transactions, errors that name their purpose. */
import sqlite3 from 'sqlite3'

/** A value SQLite can bind; `bigint` is bound as INTEGER. */
export type SqlValue = string | number | bigint | null | Uint8Array

/** Positional (`?`) or named (`$name`) parameters. */
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>

/**
 * A statement with the reason it runs. The purpose is what an error message leads with, so a
 * failure reads `insert transactions: SQLITE_CONSTRAINT: …` rather than a bare SQLite code.
 */
export interface Query {
  readonly purpose: string
  readonly sql: string
}

export type Sql = string | Query

export interface RunResult {
  /** Rows changed by an INSERT, UPDATE or DELETE. */
  changes: number
  /** Rowid of the last inserted row (meaningless for WITHOUT ROWID tables). */
  lastID: number
}

/** The statements available on a connection, inside or outside a transaction. */
export interface Executor {
  run(sql: Sql, params?: SqlParams): Promise<RunResult>
  get<T>(sql: Sql, params?: SqlParams): Promise<T | undefined>
  all<T>(sql: Sql, params?: SqlParams): Promise<T[]>
  /** Calls `onRow` for each row without holding the whole result in memory. */
  each<T>(sql: Sql, params: SqlParams | undefined, onRow: (row: T) => void): Promise<number>
  /** Runs several `;`-separated statements without parameters (schema, pragmas). */
  exec(sql: Sql): Promise<void>
  /**
   * Runs `fn` atomically. At top level: BEGIN IMMEDIATE … COMMIT, or ROLLBACK when `fn` throws.
   * Nested: a SAVEPOINT, so an inner failure undoes only the inner work.
   */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>
}

export interface Database extends Executor {
  readonly file: string
  readonly readonly: boolean
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  readonly?: boolean
  /** How long a statement waits for another connection's write lock; default 5000 ms. */
  busyTimeoutMs?: number
  /**
   * Read-only connections to the same file that serve top-level `get`, `all` and `each` (default
   * none). In WAL mode readers never wait for the writer nor for each other, so concurrent reads
   * (a resource server's requests) run side by side instead of queueing behind one connection;
   * each starts a new read transaction, so it sees every write committed before it began.
   * Statements inside `transaction` stay on the writer, which sees its own uncommitted writes.
   */
  readConnections?: number
}

/** A SQLite failure with the purpose of the statement that failed and SQLite's code. */
export class DatabaseError extends Error {
  readonly code: string
  readonly purpose: string
  readonly sql: string
  constructor(purpose: string, sql: string, cause: unknown) {
    const code =
      typeof cause === 'object' &&
      cause !== null &&
      'code' in cause &&
      typeof cause.code === 'string'
        ? cause.code
        : 'SQLITE_ERROR'
    const reason = cause instanceof Error ? cause.message : String(cause)
    super(`${purpose}: ${reason}`, { cause })
    this.name = 'DatabaseError'
    this.code = code
    this.purpose = purpose
    // Bulk statements can be megabytes long; the head is enough to recognise them.
    this.sql = sql.length > 500 ? `${sql.slice(0, 500)}…` : sql
  }
}

function purposeOf(sql: Sql): string {
  if (typeof sql !== 'string') return sql.purpose
  // Without an explicit purpose, the first words of the statement are the best summary we have.
  const words = sql.trim().replace(/\s+/g, ' ').split(' ').slice(0, 4).join(' ')
  return words.length > 60 ? `${words.slice(0, 60)}…` : words
}

function textOf(sql: Sql): string {
  return typeof sql === 'string' ? sql : sql.sql
}

/** node-sqlite3 takes an array for `?` and an object for `$name`; a bigint must become a number or string. */
function bindable(params: SqlParams | undefined): unknown {
  if (params === undefined) return []
  const convert = (value: SqlValue): unknown =>
    typeof value === 'bigint'
      ? Number.isSafeInteger(Number(value))
        ? Number(value)
        : value.toString()
      : value
  if (Array.isArray(params)) return params.map(convert)
  const named: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(params as Record<string, SqlValue>)) {
    named[key] = convert(value)
  }
  return named
}

/** Runs tasks one at a time, in arrival order; a failed task does not block the next. */
/** Prepared statements kept per connection; the least recently prepared is dropped first. */
export const STATEMENT_CACHE_SIZE = 64

function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve()
  return function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = tail.then(task)
    tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }
}

/**
 * Opens (creating if needed) a SQLite file and applies the connection pragmas every bank relies on:
 * WAL so readers never block the writer, synchronous=NORMAL (durable at checkpoints, safe with WAL),
 * foreign keys on, and a busy timeout so a second process waits instead of failing at once.
 */
export async function openDatabase(
  file: string,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  const readonly = options.readonly === true
  const mode = readonly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE
  const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
    const db: sqlite3.Database = new sqlite3.Database(file, mode, (error) => {
      if (error) reject(new DatabaseError(`open ${file}`, '', error))
      else resolve(db)
    })
  })
  // Every call passes a callback, so this only sees errors with no caller to report to; without a
  // listener an 'error' event would terminate the process.
  raw.on('error', () => undefined)

  const run = (sql: Sql, params?: SqlParams) =>
    new Promise<RunResult>((resolve, reject) => {
      raw.run(textOf(sql), bindable(params), function (this: sqlite3.RunResult, error) {
        if (error) reject(new DatabaseError(purposeOf(sql), textOf(sql), error))
        else resolve({ changes: this.changes, lastID: this.lastID })
      })
    })
  // Prepared statements by SQL text: preparing costs about as much as running a point query.
  // Only ever run with `all`, which steps to the end, so no statement keeps a read transaction
  // (and with it an old snapshot) open between calls.
  const statements = new Map<string, Promise<sqlite3.Statement>>()
  const prepare = (text: string): Promise<sqlite3.Statement> => {
    const cached = statements.get(text)
    if (cached !== undefined) return cached
    const prepared = new Promise<sqlite3.Statement>((resolve, reject) => {
      const created: sqlite3.Statement = raw.prepare(text, (error) => {
        if (error) reject(error)
        else resolve(created)
      })
    })
    // A statement that fails to prepare is not kept: the next call reports the error afresh.
    prepared.catch(() => statements.delete(text))
    if (statements.size >= STATEMENT_CACHE_SIZE) {
      const [oldest, evicted] = statements.entries().next().value as [
        string,
        Promise<sqlite3.Statement>,
      ]
      statements.delete(oldest)
      evicted.then((stale) => stale.finalize()).catch(() => undefined)
    }
    statements.set(text, prepared)
    return prepared
  }
  const all = async <T>(sql: Sql, params?: SqlParams): Promise<T[]> => {
    const text = textOf(sql)
    try {
      const prepared = await prepare(text)
      return await new Promise<T[]>((resolve, reject) => {
        prepared.all(bindable(params), (error: Error | null, rows: T[]) => {
          if (error) reject(error)
          else resolve(rows)
        })
      })
    } catch (error) {
      throw new DatabaseError(purposeOf(sql), text, error as Error)
    }
  }
  const get = async <T>(sql: Sql, params?: SqlParams): Promise<T | undefined> =>
    (await all<T>(sql, params))[0]
  const each = <T>(sql: Sql, params: SqlParams | undefined, onRow: (row: T) => void) =>
    new Promise<number>((resolve, reject) => {
      let failure: unknown
      raw.each(
        textOf(sql),
        bindable(params),
        (error: Error | null, row: T) => {
          if (error || failure !== undefined) return
          try {
            onRow(row)
          } catch (thrown) {
            failure = thrown
          }
        },
        (error: Error | null, count: number) => {
          if (error) reject(new DatabaseError(purposeOf(sql), textOf(sql), error))
          else if (failure !== undefined) reject(failure)
          else resolve(count)
        },
      )
    })
  const exec = (sql: Sql) =>
    new Promise<void>((resolve, reject) => {
      raw.exec(textOf(sql), (error) => {
        if (error) reject(new DatabaseError(purposeOf(sql), textOf(sql), error))
        else resolve()
      })
    })

  let savepoints = 0
  const inside: Executor = {
    run,
    get,
    all,
    each,
    exec,
    async transaction(fn) {
      // Only reachable from inside a running transaction, so the queue is already ours.
      const name = `sp_${++savepoints}`
      await exec({ purpose: 'begin savepoint', sql: `SAVEPOINT ${name}` })
      try {
        const result = await fn(inside)
        await exec({ purpose: 'release savepoint', sql: `RELEASE ${name}` })
        return result
      } catch (error) {
        await exec({ purpose: 'roll back savepoint', sql: `ROLLBACK TO ${name}; RELEASE ${name}` })
        throw error
      }
    },
  }

  // A connection has one transaction state: if a statement from another caller ran while a
  // transaction was open, it would commit or roll back with it. So every top-level call waits its turn.
  const enqueue = createSerialQueue()
  let closed = false
  const guard = <T>(task: () => Promise<T>): Promise<T> =>
    closed
      ? Promise.reject(new DatabaseError(`use ${file}`, '', new Error('database is closed')))
      : enqueue(task)

  // Top-level reads go to the read connections when there are any, in turn.
  const readers: Database[] = []
  let nextReader = 0
  const reader = (): Database | undefined => {
    if (readers.length === 0 || closed) return undefined
    nextReader = (nextReader + 1) % readers.length
    return readers[nextReader]
  }

  const database: Database = {
    file,
    readonly,
    run: (sql, params) => guard(() => run(sql, params)),
    get: <T>(sql: Sql, params?: SqlParams) =>
      reader()?.get<T>(sql, params) ?? guard(() => get<T>(sql, params)),
    all: <T>(sql: Sql, params?: SqlParams) =>
      reader()?.all<T>(sql, params) ?? guard(() => all<T>(sql, params)),
    each: <T>(sql: Sql, params: SqlParams | undefined, onRow: (row: T) => void) =>
      reader()?.each<T>(sql, params, onRow) ?? guard(() => each<T>(sql, params, onRow)),
    exec: (sql) => guard(() => exec(sql)),
    transaction: <T>(fn: (tx: Executor) => Promise<T>) =>
      guard(async () => {
        // IMMEDIATE takes the write lock now, so a transaction never fails half-way with SQLITE_BUSY
        // on its first write after reading.
        await exec({ purpose: 'begin transaction', sql: 'BEGIN IMMEDIATE' })
        try {
          const result = await fn(inside)
          await exec({ purpose: 'commit transaction', sql: 'COMMIT' })
          return result
        } catch (error) {
          await exec({ purpose: 'roll back transaction', sql: 'ROLLBACK' }).catch(() => undefined)
          throw error
        }
      }),
    close: async () => {
      // Readers first: the writer's close checkpoints the WAL, which wants no reader holding it.
      const open = readers.splice(0)
      await Promise.all(open.map((connection) => connection.close()))
      return guard(async () => {
        closed = true
        // SQLite closes a connection only once every statement on it is finalized.
        const prepared = [...statements.values()]
        statements.clear()
        await Promise.all(
          prepared.map((pending) =>
            pending.then(
              (statement) => new Promise<void>((done) => statement.finalize(() => done())),
              () => undefined,
            ),
          ),
        )
        await new Promise<void>((resolve, reject) => {
          raw.close((error) => {
            if (error) reject(new DatabaseError(`close ${file}`, '', error))
            else resolve()
          })
        })
      })
    },
  }

  try {
    raw.configure('busyTimeout', options.busyTimeoutMs ?? 5000)
    if (!readonly) {
      await exec({
        purpose: 'set connection pragmas',
        sql: 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;',
      })
    } else {
      await exec({ purpose: 'set connection pragmas', sql: 'PRAGMA foreign_keys = ON;' })
    }
    // Opened once the writer has put the file in WAL mode, which the readers then share.
    for (let index = 0; index < (readonly ? 0 : (options.readConnections ?? 0)); index++) {
      readers.push(
        await openDatabase(file, { readonly: true, busyTimeoutMs: options.busyTimeoutMs }),
      )
    }
  } catch (error) {
    await database.close().catch(() => undefined)
    throw error
  }
  return database
}
