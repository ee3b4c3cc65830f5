/**
 * The one bus every service emits its trace events to (DESIGN principle 6): the console stores
 * and streams them; tests read them back. Bounded: it keeps the newest events only.
 */
import type { TraceEvent } from '@sandbox/spec-types/trace-event'

export type TraceListener = (event: TraceEvent) => void

export interface TraceBus {
  emit(event: TraceEvent): void
  /** Calls `listener` for every later event; returns the unsubscribe function. */
  subscribe(listener: TraceListener): () => void
  /** The newest events, oldest first (at most `capacity`). */
  recent(limit?: number): TraceEvent[]
}

/** Sandbox policy: enough for a workshop's worth of flows, small enough to never matter. */
export const DEFAULT_TRACE_CAPACITY = 5000

export function createTraceBus(options: { capacity?: number } = {}): TraceBus {
  const capacity = options.capacity ?? DEFAULT_TRACE_CAPACITY
  const events: TraceEvent[] = []
  const listeners = new Set<TraceListener>()
  return {
    emit(event) {
      events.push(event)
      if (events.length > capacity) events.splice(0, events.length - capacity)
      // A failing listener (a console client gone away) must not break the request that traced.
      for (const listener of listeners) {
        try {
          listener(event)
        } catch {
          listeners.delete(listener)
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    recent(limit = capacity) {
      return events.slice(Math.max(0, events.length - limit))
    },
  }
}
