import { describe, expectTypeOf, test } from 'vitest'
import { type TraceEvent, TraceEventSchema } from '../src/trace-event.js'
import { expectInvalid, expectValid } from './support/validate.js'

const event: TraceEvent = {
  id: 'evt-1',
  flowId: 'flow-1',
  seq: 3,
  at: '2025-01-31T10:00:00.123Z',
  service: 'bank-op',
  bankId: 'northwind',
  step: 'par',
  from: 'fintech',
  to: 'bank-op',
  http: {
    method: 'POST',
    url: 'https://northwind.sandbox.test/par',
    status: 400,
    headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: '[redacted]' },
    body: { client_id: 'c1', client_assertion: '[redacted]' },
  },
  jwts: [
    {
      where: 'client_assertion',
      header: { alg: 'PS256', kid: 'k1' },
      claims: { iss: 'c1', sub: 'c1', aud: 'https://northwind.sandbox.test' },
      signature: 'verified',
      keyId: 'k1',
    },
  ],
  checks: [
    {
      ruleId: 'AS-PAR-07',
      clause: { spec: 'FAPI 2.0 SP', section: '5.3.2.2', item: 5 },
      passed: false,
      summary: 'code_challenge_method must be S256',
      detail: "got 'plain'",
    },
  ],
  interactionId: '93bac548-d2de-4546-b106-880a5018460d',
}

describe('trace event', () => {
  test('accepts a PAR rejection and a bare event', () => {
    expectValid(TraceEventSchema, event)
    const { http: _http, bankId: _bank, interactionId: _i, ...bare } = event
    expectValid(TraceEventSchema, { ...bare, jwts: [], checks: [] })
  })
  test.each([
    ['unknown actor', { to: 'attacker' }],
    ['browser as emitter', { service: 'browser' }],
    ['bad timestamp', { at: 'now' }],
    ['negative seq', { seq: -1 }],
    ['unknown signature status', { jwts: [{ ...event.jwts[0], signature: 'ok' }] }],
    ['bad rule id', { checks: [{ ...event.checks[0], ruleId: 'pkce' }] }],
    ['extra member', { secret: 'x' }],
  ])('rejects %s', (_, change) => expectInvalid(TraceEventSchema, { ...event, ...change }))
  test('actors are a closed union', () => {
    expectTypeOf<TraceEvent['from']>().toEqualTypeOf<
      'browser' | 'fintech' | 'bank-op' | 'bank-api' | 'console'
    >()
  })
})
