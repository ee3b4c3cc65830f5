/**
 * The console's trace events in SQLite (DESIGN principle 7), bounded by flows: once more than
 * `maxFlows` flows are stored, the oldest flows go with all their events, so disk and memory stay
 * bounded however long the sandbox runs. Writes are batched: events arriving in the same tick are
 * stored in one transaction.
 */
import type { TraceEvent } from '@sandbox/spec-types/trace-event'
import { type Database, openDatabase } from '@sandbox/store/database'

/** A flow as the inspector lists it. */
export interface FlowSummary {
  flowId: string
  bankId: string | undefined
  firstAt: string
  lastAt: string
  events: number
  failedChecks: number
  /** The services and steps of its events, in order (`bank-op par`). */
  steps: string[]
}

/** A stored event with its position: the Last-Event-ID a live client resumes from. */
export interface StoredEvent {
  position: number
  event: TraceEvent
}

/** Sandbox policy: the flows the console keeps (a long workshop's worth). */
export const DEFAULT_MAX_FLOWS = 500

const SCHEMA = `
CREATE TABLE IF NOT EXISTS flows (
  ord INTEGER PRIMARY KEY AUTOINCREMENT,
  flow_id TEXT NOT NULL UNIQUE,
  bank_id TEXT,
  first_at TEXT NOT NULL,
  last_at TEXT NOT NULL,
  events INTEGER NOT NULL DEFAULT 0,
  failed_checks INTEGER NOT NULL DEFAULT 0,
  steps TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  flow_id TEXT NOT NULL,
  event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_flow ON events (flow_id, position);
`

interface FlowRow {
  flow_id: string
  bank_id: string | null
  first_at: string
  last_at: string
  events: number
  failed_checks: number
  steps: string
}

function toSummary(row: FlowRow): FlowSummary {
  return {
    flowId: row.flow_id,
    bankId: row.bank_id ?? undefined,
    firstAt: row.first_at,
    lastAt: row.last_at,
    events: row.events,
    failedChecks: row.failed_checks,
    steps: JSON.parse(row.steps) as string[],
  }
}

export interface TraceStore {
  /** Queues an event; it is stored with the others of this tick. */
  record(event: TraceEvent): void
  /** Resolves once everything recorded so far is stored. */
  flush(): Promise<void>
  /** The newest flows first. */
  flows(limit?: number): Promise<FlowSummary[]>
  flow(flowId: string): Promise<StoredEvent[] | undefined>
  /** Events stored after `position`, oldest first (a live client catching up). */
  since(position: number, limit?: number): Promise<StoredEvent[]>
  count(): Promise<{ flows: number; events: number }>
  /** Calls `listener` with each batch once it is stored; returns the unsubscribe function. */
  onStored(listener: (events: StoredEvent[]) => void): () => void
  close(): Promise<void>
}

export async function openTraceStore(
  file: string,
  options: { maxFlows?: number } = {},
): Promise<TraceStore> {
  const maxFlows = options.maxFlows ?? DEFAULT_MAX_FLOWS
  const db: Database = await openDatabase(file)
  await db.exec(SCHEMA)
  let queue: TraceEvent[] = []
  let writing: Promise<void> = Promise.resolve()
  const listeners = new Set<(events: StoredEvent[]) => void>()

  const write = async (batch: TraceEvent[]) => {
    const stored: StoredEvent[] = []
    await db.transaction(async (tx) => {
      for (const event of batch) {
        const failed = event.checks.filter((check) => !check.passed).length
        const step = `${event.service} ${event.step}`
        await tx.run(
          {
            purpose: 'upsert flow',
            sql: `INSERT INTO flows (flow_id, bank_id, first_at, last_at, events, failed_checks, steps)
              VALUES (?1, ?2, ?3, ?3, 1, ?4, json_array(?5))
              ON CONFLICT (flow_id) DO UPDATE SET last_at = ?3, events = events + 1,
                failed_checks = failed_checks + ?4, bank_id = coalesce(bank_id, ?2),
                steps = json_insert(steps, '$[#]', ?5)`,
          },
          [event.flowId, event.bankId ?? null, event.at, failed, step],
        )
        const { lastID } = await tx.run(
          { purpose: 'insert event', sql: 'INSERT INTO events (flow_id, event) VALUES (?, ?)' },
          [event.flowId, JSON.stringify(event)],
        )
        stored.push({ position: lastID, event })
      }
      // Retention: the flows older than the newest `maxFlows` go, with their events.
      const cutoff = await tx.get<{ ord: number }>(
        {
          purpose: 'oldest flow kept',
          sql: 'SELECT ord FROM flows ORDER BY ord DESC LIMIT 1 OFFSET ?',
        },
        [maxFlows],
      )
      if (cutoff !== undefined) {
        await tx.run(
          {
            purpose: 'drop old events',
            sql: 'DELETE FROM events WHERE flow_id IN (SELECT flow_id FROM flows WHERE ord <= ?)',
          },
          [cutoff.ord],
        )
        await tx.run({ purpose: 'drop old flows', sql: 'DELETE FROM flows WHERE ord <= ?' }, [
          cutoff.ord,
        ])
      }
    })
    for (const listener of listeners) {
      try {
        listener(stored)
      } catch {
        listeners.delete(listener)
      }
    }
  }

  const schedule = () => {
    writing = writing.then(async () => {
      const batch = queue
      queue = []
      if (batch.length > 0) await write(batch)
    })
    // A failed write (disk full) loses that batch, never the console.
    writing = writing.catch(() => undefined)
  }

  return {
    record(event) {
      queue.push(event)
      if (queue.length === 1) setImmediate(schedule)
    },
    async flush() {
      schedule()
      await writing
    },
    async flows(limit = 100) {
      const rows = await db.all<FlowRow>(
        { purpose: 'list flows', sql: 'SELECT * FROM flows ORDER BY ord DESC LIMIT ?' },
        [Math.min(Math.max(limit, 1), 1000)],
      )
      return rows.map(toSummary)
    },
    async flow(flowId) {
      const rows = await db.all<{ position: number; event: string }>(
        {
          purpose: 'read flow',
          sql: 'SELECT position, event FROM events WHERE flow_id = ? ORDER BY position',
        },
        [flowId],
      )
      if (rows.length === 0) return undefined
      return rows.map((row) => ({ position: row.position, event: JSON.parse(row.event) }))
    },
    async since(position, limit = 500) {
      const rows = await db.all<{ position: number; event: string }>(
        {
          purpose: 'events since',
          sql: 'SELECT position, event FROM events WHERE position > ? ORDER BY position LIMIT ?',
        },
        [position, limit],
      )
      return rows.map((row) => ({ position: row.position, event: JSON.parse(row.event) }))
    },
    async count() {
      const row = await db.get<{ flows: number; events: number }>({
        purpose: 'count',
        sql: 'SELECT (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM events) AS events',
      })
      return { flows: row?.flows ?? 0, events: row?.events ?? 0 }
    },
    onStored(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      schedule()
      await writing
      await db.close()
    },
  }
}
