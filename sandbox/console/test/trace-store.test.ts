/** The console's trace storage: bounded by flows, resumable by position, and never holding a secret. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TraceEvent } from '@sandbox/spec-types/trace-event'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { REDACTED, redactEvent } from '../src/redact.js'
import { openTraceStore, type TraceStore } from '../src/trace-store.js'

let dir: string
let store: TraceStore | undefined
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'console-store-'))
})
afterEach(async () => {
  await store?.close()
  store = undefined
  rmSync(dir, { recursive: true, force: true })
})

function event(flowId: string, seq: number, passed = true): TraceEvent {
  return {
    id: `${flowId}-${seq}`,
    flowId,
    seq,
    at: `2026-11-29T10:00:${String(seq).padStart(2, '0')}Z`,
    service: 'bank-op',
    bankId: 'aurora',
    step: seq === 0 ? 'par' : 'token',
    from: 'fintech',
    to: 'bank-op',
    jwts: [],
    checks: [
      {
        ruleId: 'AS-PAR-07',
        clause: { spec: 'FAPI 2.0 SP', section: '5.3.2.2', item: 5 },
        passed,
        summary: 'code_challenge_method must be S256',
      },
    ],
  }
}

describe('the trace store', () => {
  test('keeps at most maxFlows flows: after many flows the oldest are gone with their events', async () => {
    store = await openTraceStore(join(dir, 'console.sqlite'), { maxFlows: 5 })
    for (let flow = 0; flow < 40; flow += 1) {
      for (let seq = 0; seq < 3; seq += 1) store.record(event(`flow-${flow}`, seq))
      if (flow % 7 === 0) await store.flush()
    }
    await store.flush()
    expect(await store.count()).toEqual({ flows: 5, events: 15 })
    const flows = await store.flows()
    expect(flows.map((flow) => flow.flowId)).toEqual([
      'flow-39',
      'flow-38',
      'flow-37',
      'flow-36',
      'flow-35',
    ])
    expect(await store.flow('flow-0')).toBeUndefined()
    expect(flows[0]).toMatchObject({
      events: 3,
      failedChecks: 0,
      steps: ['bank-op par', 'bank-op token', 'bank-op token'],
    })
  })

  test('counts failed checks per flow and resumes after a position', async () => {
    store = await openTraceStore(join(dir, 'console.sqlite'))
    const seen: number[] = []
    store.onStored((stored) => seen.push(...stored.map((s) => s.position)))
    store.record(event('a', 0))
    store.record(event('a', 1, false))
    store.record(event('b', 0))
    await store.flush()
    expect((await store.flows()).find((flow) => flow.flowId === 'a')?.failedChecks).toBe(1)
    const first = seen[0] ?? 0
    expect((await store.since(first)).map((stored) => stored.event.id)).toEqual(['a-1', 'b-0'])
    expect(seen).toHaveLength(3)
  })
})

describe('redaction before storage', () => {
  test('passwords, codes, tokens and private key members never stay in an event', () => {
    const redacted = redactEvent({
      ...event('x', 0),
      http: {
        method: 'POST',
        url: 'https://localhost:8441/aurora/interaction/1/password',
        status: 303,
        headers: { authorization: 'DPoP eyJhbGciOi.secret.token', 'content-type': 'x' },
        body: {
          username: 'alice',
          password: 'alice-sandbox',
          code: '246810',
          jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'private' }] },
        },
      },
      jwts: [
        {
          where: 'response',
          header: { alg: 'ES256' },
          claims: { code: 'the-code', state: 's' },
          signature: 'verified',
        },
      ],
    })
    const text = JSON.stringify(redacted)
    for (const secret of ['alice-sandbox', '246810', 'private', 'the-code', 'secret.token']) {
      expect(text).not.toContain(secret)
    }
    expect(redacted.http?.body).toMatchObject({ username: 'alice', password: REDACTED })
    expect(redacted.http?.headers.authorization).toBe(`DPoP ${REDACTED}`)
  })
})
