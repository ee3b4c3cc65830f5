/**
 * The one bus every service emits its trace events to (DESIGN principle 6): the console stores
 * and streams them; tests read them back. Bounded: it keeps the newest events only.
 */
import type { TraceEvent } from '@sandbox/spec-types/trace-event'

export type TraceListener = (event: TraceEvent) => void

/**
 * An event, or how to build it: services hand over what they captured and the bus decodes and
 * assembles it only when a listener or a reader wants it, so tracing costs the hot path little.
 */
export type TraceEventSource = TraceEvent | (() => TraceEvent)

export interface TraceBus {
  emit(event: TraceEventSource): void
  /** Calls `listener` for every later event; returns the unsubscribe function. */
  subscribe(listener: TraceListener): () => void
  /** The newest events, oldest first (at most `capacity`). */
  recent(limit?: number): TraceEvent[]
}

/** Sandbox policy: enough for a workshop's worth of flows, small enough to never matter. */
export const DEFAULT_TRACE_CAPACITY = 5000

export function createTraceBus(options: { capacity?: number } = {}): TraceBus {
  const capacity = options.capacity ?? DEFAULT_TRACE_CAPACITY
  let events: { event?: TraceEvent; build?: () => TraceEvent }[] = []
  const listeners = new Set<TraceListener>()
  const materialize = (entry: { event?: TraceEvent; build?: () => TraceEvent }): TraceEvent => {
    if (entry.event === undefined && entry.build !== undefined) {
      entry.event = entry.build()
      entry.build = undefined
    }
    return entry.event as TraceEvent
  }
  return {
    emit(source) {
      const entry = typeof source === 'function' ? { build: source } : { event: source }
      events.push(entry)
      // Trimmed in batches, so a full bus does not shift its array on every event.
      if (events.length > capacity * 1.25) events = events.slice(events.length - capacity)
      if (listeners.size === 0) return
      const event = materialize(entry)
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
      return events.slice(Math.max(0, events.length - Math.min(limit, capacity))).map(materialize)
    },
  }
}
