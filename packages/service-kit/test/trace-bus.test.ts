import type { TraceEvent } from '@sandbox/spec-types/trace-event'
import { expect, test } from 'vitest'
import { createTraceBus } from '../src/trace-bus.js'

const event = (seq: number): TraceEvent => ({
  id: `e${seq}`,
  flowId: 'f',
  seq,
  at: '2026-01-01T00:00:00Z',
  service: 'bank-op',
  step: 'par',
  from: 'fintech',
  to: 'bank-op',
  jwts: [],
  checks: [],
})

test('keeps the newest events up to its capacity', () => {
  const bus = createTraceBus({ capacity: 2 })
  for (const seq of [0, 1, 2]) bus.emit(event(seq))
  expect(bus.recent().map((e) => e.seq)).toEqual([1, 2])
  expect(bus.recent(1).map((e) => e.seq)).toEqual([2])
})

test('delivers to listeners until they unsubscribe, and drops a listener that throws', () => {
  const bus = createTraceBus()
  const seen: number[] = []
  const unsubscribe = bus.subscribe((e) => seen.push(e.seq))
  let failures = 0
  bus.subscribe(() => {
    failures += 1
    throw new Error('gone')
  })
  bus.emit(event(0))
  bus.emit(event(1))
  unsubscribe()
  bus.emit(event(2))
  expect(seen).toEqual([0, 1])
  expect(failures).toBe(1)
})

test('an event given as a builder is built once, when it is first read', () => {
  const bus = createTraceBus()
  let built = 0
  bus.emit(() => {
    built += 1
    return event(7)
  })
  expect(built).toBe(0)
  expect(bus.recent().map((e) => e.seq)).toEqual([7])
  expect(bus.recent().map((e) => e.seq)).toEqual([7])
  expect(built).toBe(1)
})
