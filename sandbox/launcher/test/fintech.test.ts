/**
 * The demo fintech's back end through `inject`, against the seeded banks over real TLS: connecting
 * (PAR, the bank's pages, the callback), the dashboard's data, a payment that settles, and
 * disconnecting; and the callback's refusals (fapi2-requirements.md section 3): a wrong or missing
 * state (CL-05, CL-18), a missing or wrong iss and a code from another bank (CL-04, mix-up), a
 * replayed callback (CL-18), a flow start without the anti-forgery token (CL-16).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readKeyFile } from '@sandbox/bank-op/keys/key-file'
import { describe as describeRule } from '@sandbox/fapi/errors/describe'
import { buildFintech } from '@sandbox/fintech/app'
import { loadFintechConfigFile } from '@sandbox/fintech/config-file'
import { fintechRules } from '@sandbox/fintech/rules'
import type { SandboxServer } from '@sandbox/service-kit/server'
import { beforeAll, describe, expect, test } from 'vitest'
import { keysDir } from '../src/data.js'
import type { RunningSandbox } from '../src/launch.js'
import { FINTECH } from '../src/services.js'
import { FintechUser, type InjectedResponse } from './fintech-user.js'
import { useLaunchedSandbox } from './launched-sandbox.js'

const launched = useLaunchedSandbox('launch-fintech')
let dataDir: string
let sandbox: RunningSandbox
let fintech: SandboxServer
let origin: string

beforeAll(() => {
  dataDir = launched.dataDir
  sandbox = launched.sandbox
  fintech = launched.server(FINTECH)
  origin = launched.url(FINTECH)
})

const user = () => new FintechUser(fintech, origin, sandbox.pki.ca.certPem)
const issuerOf = (bankId: string) =>
  `${sandbox.services.find((s) => s.name === 'bank-op')?.url}/${bankId}`

/** The callback sends the browser back to the app (303, never cached) with a notice. */
async function expectRefusedCallback(
  person: FintechUser,
  res: InjectedResponse,
  rule: { id: string; summary: string },
) {
  expect(res.statusCode, res.body).toBe(303)
  expect(res.headers.location).toBe('/')
  expect(res.headers['cache-control']).toBe('no-store')
  const { notice } = (await person.session()) as {
    notice: { kind: string; rule: { id: string; description: string } }
  }
  expect(notice.kind).toBe('error')
  expect(notice.rule.id).toBe(rule.id)
  expect(notice.rule.description.startsWith(rule.summary)).toBe(true)
  const connections = await person.call('GET', '/api/connections')
  expect(connections.json().connections).toEqual([])
}

function withQuery(location: string, change: (query: URLSearchParams) => void): string {
  const url = new URL(location)
  change(url.searchParams)
  return url.toString()
}

describe.each([
  { bankId: 'aurora', constraint: 'DPoP' },
  { bankId: 'meridian', constraint: 'mutual TLS' },
  { bankId: 'fjord', constraint: 'DPoP with nonces, JAR and JARM' },
])('the demo fintech at $bankId ($constraint)', ({ bankId }) => {
  test('connects, shows accounts with balances, transactions and spending, then disconnects', async () => {
    const person = user()
    const authorize = new URL(await person.startConnect(bankId))
    // CL-02: the browser carries client_id and request_uri only.
    expect([...authorize.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])

    const done = await person.callback(await person.atBank(authorize.toString()))
    expect(done.statusCode, done.body).toBe(303)
    expect(done.headers.location).toBe('/#/dashboard')
    expect((await person.session()).notice).toMatchObject({ kind: 'success' })
    // The flow's requests carry its x-fapi-interaction-id, and the bank's pages join the flow of
    // their pushed request: the whole journey is one flow in the traces, in order.
    const events = sandbox.trace.recent()
    const callback = events.findLast((e) => e.service === 'fintech' && e.bankId === bankId)
    expect(callback?.checks.every((check) => check.passed)).toBe(true)
    const steps = events
      .filter((e) => e.flowId === callback?.flowId)
      .map((e) => `${e.service} ${e.step}`)
      .filter((step) => step !== 'bank-op interaction')
    // PAR (twice at fjord: the first asks for a DPoP nonce) is answered before the fintech answers
    // the browser's connect; the rest follows the user through the bank and back.
    expect(new Set(steps.slice(0, -6))).toEqual(new Set(['bank-op par', 'fintech connect']))
    expect(steps.slice(-6)).toEqual([
      'bank-op authorize',
      'bank-op password',
      'bank-op code',
      'bank-op consent',
      'fintech callback',
      'bank-op token',
    ])

    const accounts = await person.call('GET', '/api/accounts')
    expect(accounts.statusCode, accounts.body).toBe(200)
    const { banks, problems } = accounts.json<{
      banks: Array<{
        bankId: string
        connectionId: string
        accounts: Array<{ accountId: string; balances: unknown[] }>
      }>
      problems: unknown[]
    }>()
    expect(problems).toEqual([])
    expect(banks).toHaveLength(1)
    const [bank] = banks
    expect(bank?.bankId).toBe(bankId)
    expect(bank?.accounts.length).toBeGreaterThan(0)
    expect(bank?.accounts.every((account) => account.balances.length > 0)).toBe(true)

    const account = bank?.accounts[0]?.accountId ?? ''
    const page = await person.call(
      'GET',
      `/api/connections/${bank?.connectionId}/accounts/${account}/transactions?limit=5`,
    )
    expect(page.statusCode, page.body).toBe(200)
    expect(page.json<{ transactions: unknown[] }>().transactions.length).toBeGreaterThan(0)

    const spending = await person.call('GET', '/api/spending')
    expect(spending.statusCode, spending.body).toBe(200)
    expect(spending.json<{ currencies: unknown[] }>().currencies.length).toBeGreaterThan(0)

    // Disconnect: revoked at the bank, confirmed by the bank refusing the old token.
    const gone = await person.call('DELETE', `/api/connections/${bank?.connectionId}`)
    expect(gone.statusCode, gone.body).toBe(200)
    expect(gone.json()).toMatchObject({ bankConfirmed: true, connection: { status: 'revoked' } })
    const after = await person.call('GET', '/api/accounts')
    expect(after.json()).toEqual({ banks: [], problems: [] })
  })
})

describe('paying someone through the demo fintech', () => {
  test('a payment approved at aurora is created once and settles', async () => {
    const person = user()
    const done = await person.pay('2.5', 'Fintech test')
    expect(done.statusCode, done.body).toBe(303)
    const id = String(done.headers.location).replace('/#/payments/', '')
    let status = ''
    for (
      let attempt = 0;
      attempt < 40 && status !== 'accepted_settlement_completed';
      attempt += 1
    ) {
      const res = await person.call('GET', `/api/payments/${id}`)
      expect(res.statusCode, res.body).toBe(200)
      status = String(res.json().status)
      expect(res.json()).toMatchObject({
        amount: '2.50',
        currency: 'GBP',
        creditorName: 'Northwind Energy',
      })
      if (status !== 'accepted_settlement_completed') await new Promise((r) => setTimeout(r, 250))
    }
    expect(status).toBe('accepted_settlement_completed')
  })
})

describe('the callback refuses what a FAPI 2.0 client must refuse', () => {
  test('a state that belongs to no flow of this browser (CL-18)', async () => {
    const person = user()
    const location = await person.atBank(await person.startConnect('aurora'))
    const res = await person.callback(withQuery(location, (q) => q.set('state', 'not-ours')))
    await expectRefusedCallback(person, res, fintechRules.stateUnknown)
  })

  test('a response without state (CL-05)', async () => {
    const person = user()
    const location = await person.atBank(await person.startConnect('aurora'))
    const res = await person.callback(withQuery(location, (q) => q.delete('state')))
    await expectRefusedCallback(person, res, fintechRules.stateMissing)
  })

  test('a response without iss (CL-04, RFC 9207 section 2.4)', async () => {
    const person = user()
    const location = await person.atBank(await person.startConnect('aurora'))
    const res = await person.callback(withQuery(location, (q) => q.delete('iss')))
    await expectRefusedCallback(person, res, fintechRules.issuerMissing)
  })

  test('a response whose iss is another bank (CL-04)', async () => {
    const person = user()
    const location = await person.atBank(await person.startConnect('aurora'))
    const res = await person.callback(
      withQuery(location, (q) => q.set('iss', issuerOf('meridian'))),
    )
    await expectRefusedCallback(person, res, fintechRules.issuerMismatch)
  })

  test('a code from another bank put into this flow: the mix-up attack (CL-04)', async () => {
    const person = user()
    // The user starts at aurora; an attacker answers the callback with meridian's response.
    const auroraLocation = await person.atBank(await person.startConnect('aurora'))
    const meridianLocation = await person.atBank(await person.startConnect('meridian'))
    const aurora = new URL(auroraLocation).searchParams
    const mixed = withQuery(meridianLocation, (q) => q.set('state', aurora.get('state') ?? ''))
    const res = await person.callback(mixed)
    await expectRefusedCallback(person, res, fintechRules.issuerMismatch)
  })

  test('the same callback twice: the second is refused and redeems nothing (CL-18)', async () => {
    const person = user()
    const location = await person.atBank(await person.startConnect('aurora'))
    expect((await person.callback(location)).headers.location).toBe('/#/dashboard')
    await person.session()
    const again = await person.callback(location)
    expect(again.statusCode).toBe(303)
    const { notice } = (await person.session()) as { notice: { rule: { id: string } } }
    expect(notice.rule.id).toBe(fintechRules.stateUnknown.id)
    const { connections } = (await person.call('GET', '/api/connections')).json<{
      connections: unknown[]
    }>()
    expect(connections).toHaveLength(1)
  })

  test('a callback in a browser that did not start the flow (CL-18)', async () => {
    const location = await user().atBank(await user().startConnect('aurora'))
    const stranger = user()
    const res = await stranger.callback(location)
    await expectRefusedCallback(stranger, res, fintechRules.stateUnknown)
  })

  test('the user denies at the bank: nothing is connected', async () => {
    const person = user()
    const location = await person.atBank(await person.startConnect('aurora'), { decision: 'deny' })
    const res = await person.callback(location)
    expect(res.statusCode).toBe(303)
    const { notice } = (await person.session()) as { notice: { kind: string; title: string } }
    expect(notice).toMatchObject({ kind: 'info', title: 'Not connected' })
    expect((await person.call('GET', '/api/connections')).json().connections).toEqual([])
  })

  test('a flow start without the anti-forgery token is refused (CL-16)', async () => {
    const person = user()
    await person.session()
    const res = await person.call(
      'POST',
      '/api/connections',
      { bankId: 'aurora', actions: [], durationDays: 30 },
      { csrf: false },
    )
    expect(res.statusCode).toBe(403)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.json()).toMatchObject({
      status: 403,
      title: 'Request refused',
      rule: fintechRules.flowStartForgery.id,
    })
    expect(res.json().detail).toContain(describeRule(fintechRules.flowStartForgery))
    // Nothing was pushed: no flow is waiting for a callback.
    expect((await person.call('GET', '/api/connections')).json().connections).toEqual([])
  })
})

describe('the fintech pointed at providers by a configuration file (README, Any FAPI 2.0 provider)', () => {
  test('connects to a DPoP and an mTLS bank known only from the file; refuses them without their CA (CL-15)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fintech-config-'))
    try {
      const [key] = await readKeyFile(keysDir(dataDir), 'demo-fintech')
      writeFileSync(join(dir, 'client.jwk.json'), JSON.stringify({ ...key?.jwk, alg: key?.alg }))
      const api = sandbox.services.find((s) => s.name === 'bank-api')?.url
      const { pki } = sandbox
      const file = join(dir, 'fintech.json')
      writeFileSync(
        file,
        JSON.stringify({
          // The origin the banks have registered for demo-fintech; inject needs no port of its own.
          publicUrl: origin,
          port: 8450,
          tls: { cert: pki.server.certPath, key: pki.server.keyPath },
          ca: pki.ca.certPath,
          providers: [
            {
              id: 'aurora',
              name: 'Aurora from a file',
              issuer: issuerOf('aurora'),
              clientId: 'demo-fintech',
              clientAuth: 'private_key_jwt',
              privateJwk: 'client.jwk.json',
              senderConstraint: 'dpop',
              apiBaseUrl: `${api}/aurora`,
              currency: 'GBP',
            },
            {
              id: 'meridian',
              name: 'Meridian from a file',
              issuer: issuerOf('meridian'),
              clientId: 'demo-fintech',
              clientAuth: 'tls_client_auth',
              certificate: { cert: pki.clients.fintech.certPath, key: pki.clients.fintech.keyPath },
              senderConstraint: 'mtls',
              apiBaseUrl: `${api}/meridian`,
              currency: 'EUR',
            },
          ],
        }),
      )
      const { config } = await loadFintechConfigFile(file)

      // CL-15: without the sandbox CA the banks' certificates are not trusted, and nothing is sent.
      const untrusting = await buildFintech({ ...config, ca: undefined })
      try {
        const person = new FintechUser(untrusting.app, origin, pki.ca.certPem)
        await person.session()
        const refused = await person.call('POST', '/api/connections', {
          bankId: 'aurora',
          actions: [],
          durationDays: 30,
        })
        expect(refused.statusCode, refused.body).toBe(502)
        expect(refused.json().title).toBe('Aurora from a file could not prove who it is')
      } finally {
        await untrusting.app.close()
      }

      const configured = await buildFintech(config)
      try {
        const person = new FintechUser(configured.app, origin, pki.ca.certPem)
        for (const bankId of ['aurora', 'meridian']) {
          expect((await person.connect(bankId)).headers.location).toBe('/#/dashboard')
        }
        const { banks } = (await person.call('GET', '/api/accounts')).json<{
          banks: Array<{ bankName: string; accounts: unknown[] }>
        }>()
        expect(banks.map((bank) => bank.bankName).sort()).toEqual([
          'Aurora from a file',
          'Meridian from a file',
        ])
        expect(banks.every((bank) => bank.accounts.length > 0)).toBe(true)
      } finally {
        await configured.app.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
