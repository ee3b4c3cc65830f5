import { rules } from '@sandbox/fapi/errors/rules'
import { stepOf } from '@sandbox/service-kit/trace-plugin'
import { TraceEventSchema } from '@sandbox/spec-types/trace-event'
import { Compile } from 'typebox/compile'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { BankContext } from '../src/bank-context.js'
import { buildTestBankOp, dpopBank, type TestBankOp } from './helpers.js'
import {
  assertionFields,
  contextOf,
  dpopProof,
  form,
  generateEs256,
  pathOf,
  pkce,
  REDIRECT_URI,
  registerClient,
  type TestClient,
} from './oauth-helpers.js'

let op: TestBankOp
let bank: BankContext
let client: TestClient
const validEvent = Compile(TraceEventSchema)

beforeAll(async () => {
  op = await buildTestBankOp()
  bank = contextOf(op, dpopBank().id)
  client = await registerClient(bank)
})
afterAll(() => op.close())

async function push(fields: Record<string, string | undefined>, headers: Record<string, string>) {
  return op.app.inject({
    method: 'POST',
    url: pathOf(bank, '/par'),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form(fields),
  })
}

test('a PAR request emits one event with its checks, its JWTs decoded and its secrets redacted', async () => {
  const key = await generateEs256()
  const res = await push(
    {
      ...(await assertionFields(client, bank)),
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      ...(await pkce()),
      code: 'should-not-be-traced',
    },
    {
      dpop: await dpopProof(key, bank, { url: `${bank.issuer}/par` }),
      'x-fapi-interaction-id': 'flow-1',
    },
  )
  expect(res.statusCode).toBe(201)
  const [event] = op.trace.recent().filter((e) => e.flowId === 'flow-1')
  expect(validEvent.Check(event)).toBe(true)
  expect(event).toMatchObject({
    service: 'bank-op',
    bankId: bank.bank.id,
    step: 'par',
    from: 'fintech',
    to: 'bank-op',
    interactionId: 'flow-1',
    http: { method: 'POST', status: 201 },
  })
  expect(event?.http?.body).toMatchObject({ client_assertion: '[JWT, decoded below]' })
  expect(JSON.stringify(event)).not.toContain('should-not-be-traced')
  expect(event?.jwts.map((jwt) => [jwt.where, jwt.signature])).toEqual([
    ['client_assertion', 'verified'],
    ['DPoP header', 'verified'],
  ])
  const passed = event?.checks.filter((check) => check.passed).map((check) => check.ruleId)
  expect(passed).toEqual(expect.arrayContaining(['AS-CA-03', 'AS-SC-09', 'AS-PAR-07', 'AS-RU-02']))
})

test('a rejected request records the failed rule with its clause', async () => {
  const res = await push(
    {
      ...(await assertionFields(client, bank)),
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'plain',
    },
    { 'x-fapi-interaction-id': 'flow-2' },
  )
  expect(res.statusCode).toBe(400)
  const [event] = op.trace.recent().filter((e) => e.flowId === 'flow-2')
  expect(validEvent.Check(event)).toBe(true)
  expect(event?.checks.at(-1)).toMatchObject({
    ruleId: rules.pkceS256.id,
    passed: false,
    clause: { spec: 'FAPI 2.0 SP', section: '5.3.2.2', item: 5 },
  })
})

test('the authorization endpoint traces the browser as the caller', async () => {
  await op.app.inject({
    method: 'GET',
    url: `${pathOf(bank, '/authorize')}?client_id=x&request_uri=urn:ietf:params:oauth:request_uri:nope`,
    headers: { 'x-fapi-interaction-id': 'flow-3' },
  })
  const [event] = op.trace.recent().filter((e) => e.flowId === 'flow-3')
  expect(event).toMatchObject({ from: 'browser', to: 'bank-op', step: 'authorize' })
  expect(event?.checks.map((check) => [check.ruleId, check.passed])).toContainEqual([
    'AS-AZ-03',
    false,
  ])
})

test('step names come from route patterns, never from ids in the path', () => {
  expect(stepOf('/:bank/interaction/:id')).toBe('interaction')
  expect(stepOf('/:bank/interaction/:id/consent')).toBe('consent')
  expect(stepOf('/:bank/register/:clientId')).toBe('register')
  expect(stepOf('/:bank/.well-known/openid-configuration')).toBe('openid-configuration')
  expect(stepOf('/')).toBe('request')
})
