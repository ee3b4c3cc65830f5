/**
 * The sandbox console over the launched sandbox: it stores what every service traces, shows a
 * connect journey as one flow, a refused request as a failed check with its clause, exports a flow
 * as Markdown with a Mermaid diagram, lists the ecosystem without a secret, and revokes a grant so
 * that the bank's API refuses its tokens at once.
 */
import { randomUUID } from 'node:crypto'
import { request } from 'node:https'
import { createDpopProof } from '@sandbox/fapi/dpop/proof'
import { rules } from '@sandbox/fapi/errors/rules'
import type { SandboxServer } from '@sandbox/service-kit/server'
import type { TraceEvent } from '@sandbox/spec-types/trace-event'
import { exportJWK, generateKeyPair } from 'jose'
import { beforeAll, describe, expect, test } from 'vitest'
import type { RunningSandbox } from '../src/launch.js'
import { CONSOLE, FINTECH } from '../src/services.js'
import { FintechUser } from './fintech-user.js'
import { assertionFields, postForm, send } from './https-client.js'
import { useLaunchedSandbox } from './launched-sandbox.js'

const launched = useLaunchedSandbox('launch-console')
let sandbox: RunningSandbox
let consoleApp: SandboxServer

beforeAll(() => {
  sandbox = launched.sandbox
  consoleApp = launched.server(CONSOLE)
})

const urlOf = (name: string) => sandbox.services.find((s) => s.name === name)?.url ?? ''

async function get<T = Record<string, unknown>>(url: string): Promise<T> {
  const res = await consoleApp.inject({ method: 'GET', url })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as T
}

/** Waits until the console has stored the flow (it writes in batches). */
async function storedFlow(
  flowId: string,
  complete: (events: TraceEvent[]) => boolean = (events) => events.length > 0,
): Promise<TraceEvent[]> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const res = await consoleApp.inject({ method: 'GET', url: `/api/flows/${flowId}` })
    if (res.statusCode === 200) {
      const events = (res.json() as { events: Array<{ event: TraceEvent }> }).events.map(
        (stored) => stored.event,
      )
      if (complete(events)) return events
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`the console never stored flow ${flowId}`)
}

async function connectedUser() {
  const fintech = sandbox.servers.get(FINTECH)
  if (fintech === undefined) throw new Error('no fintech')
  const person = new FintechUser(fintech, urlOf(FINTECH), sandbox.pki.ca.certPem)
  expect((await person.connect('aurora')).headers.location).toBe('/#/dashboard')
  return person
}

describe('the flow inspector', () => {
  test('a connect journey is one flow, in order, exported as Markdown with a Mermaid diagram', async () => {
    await connectedUser()
    const callback = sandbox.trace
      .recent()
      .findLast((e) => e.service === 'fintech' && e.step === 'callback')
    // The console stores in batches: wait for the last message, the token request.
    const events = await storedFlow(callback?.flowId ?? '', (stored) =>
      stored.some((e) => e.step === 'token'),
    )
    const steps = events.map((e) => `${e.service} ${e.step}`)
    for (const step of ['bank-op par', 'bank-op authorize', 'bank-op consent', 'bank-op token']) {
      expect(steps).toContain(step)
    }
    expect(steps.indexOf('fintech callback')).toBeLessThan(steps.indexOf('bank-op token'))

    const { flows } = await get<{ flows: Array<{ flowId: string; title: string }> }>('/api/flows')
    expect(flows.find((flow) => flow.flowId === callback?.flowId)?.title).toBe(
      'Connecting a bank at aurora',
    )
    const markdown = await consoleApp.inject({
      method: 'GET',
      url: `/api/flows/${callback?.flowId}/export.md`,
    })
    expect(markdown.headers['content-type']).toMatch(/^text\/markdown/)
    expect(markdown.body).toContain('```mermaid\nsequenceDiagram')
    expect(markdown.body).toContain('F->>AS: par POST /aurora/par')
    expect(markdown.body).toContain('B->>AS: authorize GET /aurora/authorize')
  })

  test('a DPoP proof with a wrong htu shows as a failed check with its clause (AS-SC-09)', async () => {
    const issuer = `${urlOf('bank-op')}/aurora`
    const ca = { ca: sandbox.pki.ca.certPem }
    const metadata = (await send(`${issuer}/.well-known/openid-configuration`, {}, ca)).json()
    const { privateKey, publicKey } = await generateKeyPair('ES256')
    const jwk = await exportJWK(publicKey)
    const proof = (htm: string, htu: string, accessToken?: string) =>
      createDpopProof({
        key: privateKey,
        jwk,
        alg: 'ES256',
        htm,
        htu,
        now: Math.floor(Date.now() / 1000),
        jti: randomUUID(),
        ...(accessToken === undefined ? {} : { accessToken }),
      })
    const tokenUrl = String(metadata.token_endpoint)
    const { demoFintech } = sandbox
    const token = await postForm(
      tokenUrl,
      {
        grant_type: 'client_credentials',
        scope: 'payments',
        client_id: demoFintech.clientId,
        ...(await assertionFields(demoFintech.clientId, demoFintech.key, issuer)),
      },
      ca,
      { dpop: await proof('POST', tokenUrl) },
    )
    expect(token.status, token.body).toBe(200)
    const accessToken = String(token.json().access_token)

    const interactionId = randomUUID()
    const url = `${urlOf('bank-api')}/aurora/payments/p-1`
    const refused = await send(
      url,
      {
        headers: {
          authorization: `DPoP ${accessToken}`,
          dpop: await proof('GET', `${urlOf('bank-api')}/aurora/payments/other`, accessToken),
          'x-fapi-interaction-id': interactionId,
        },
      },
      ca,
    )
    expect(refused.status).toBe(401)

    const [event] = await storedFlow(interactionId)
    const failed = event?.checks.filter((check) => !check.passed)
    expect(failed).toEqual([
      expect.objectContaining({
        ruleId: rules.dpopHtu.id,
        clause: rules.dpopHtu.clause,
        summary: rules.dpopHtu.summary,
      }),
    ])
    const { flows } = await get<{ flows: Array<{ flowId: string; failedChecks: number }> }>(
      '/api/flows',
    )
    expect(flows.find((flow) => flow.flowId === interactionId)?.failedChecks).toBe(1)
    // The stored event holds the decoded tokens, never the tokens themselves.
    expect(JSON.stringify(event)).not.toContain(accessToken)
  })
})

/** The first `count` server-sent events of `url`, then the connection is dropped. */
function readEvents(url: string, count: number, headers: Record<string, string> = {}) {
  return new Promise<Array<{ id: number; data: TraceEvent }>>((resolve, reject) => {
    const req = request(url, { ca: sandbox.pki.ca.certPem, headers }, (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
      let buffer = ''
      const events: Array<{ id: number; data: TraceEvent }> = []
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8')
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const id = /^id: (\d+)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (id !== undefined && data !== undefined) {
            events.push({ id: Number(id), data: JSON.parse(data) as TraceEvent })
          }
          if (events.length >= count) {
            req.destroy()
            resolve(events)
            return
          }
          end = buffer.indexOf('\n\n')
        }
      })
    })
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error)
    })
    req.end()
  })
}

describe('the live stream', () => {
  test('a client that lost the stream catches up from its Last-Event-ID, then gets new events live', async () => {
    const live = `${urlOf(CONSOLE)}/api/live`
    const [first, second] = await readEvents(`${live}?after=0`, 2)
    expect(first?.id).toBeLessThan(second?.id ?? 0)
    // Resuming after the first: the second comes again, from storage.
    const [resumed] = await readEvents(live, 1, { 'last-event-id': String(first?.id) })
    expect(resumed).toEqual(second)
    // And a new request arrives live on an open stream.
    const waiting = readEvents(live, 1)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const interactionId = randomUUID()
    await send(
      `${urlOf('bank-op')}/aurora/jwks`,
      { headers: { 'x-fapi-interaction-id': interactionId } },
      {
        ca: sandbox.pki.ca.certPem,
      },
    )
    const [arrived] = await waiting
    expect(arrived?.data).toMatchObject({ flowId: interactionId, step: 'jwks' })
  })
})

describe('the ecosystem at a glance', () => {
  test('banks with profiles and links, clients and test users, and not one secret', async () => {
    const res = await consoleApp.inject({ method: 'GET', url: '/api/ecosystem' })
    expect(res.statusCode).toBe(200)
    const { banks } = res.json() as {
      banks: Array<{ id: string; discovery: string; clients: Array<{ clientId: string }> }>
    }
    expect(banks.map((bank) => bank.id).sort()).toEqual(['aurora', 'fjord', 'meridian'])
    expect(banks[0]?.discovery).toMatch(/\/\.well-known\/openid-configuration$/)
    expect(banks.every((bank) => bank.clients.some((c) => c.clientId === 'demo-fintech'))).toBe(
      true,
    )
    for (const secret of ['alice-sandbox', '246810', '"d":']) expect(res.body).not.toContain(secret)

    const found = await get<{ customers: Array<{ name: string; accounts: unknown[] }> }>(
      '/api/banks/aurora/customers?q=alice',
    )
    expect(found.customers.length).toBeGreaterThan(0)
    expect(found.customers[0]?.accounts.length).toBeGreaterThan(0)
  })

  test('revoking a grant in the console ends the fintech connection on its next call', async () => {
    const person = await connectedUser()
    const { grants } = await get<{
      grants: Array<{ id: string; status: string; clientId: string }>
    }>('/api/banks/aurora/grants')
    // Every active grant of the demo fintech at aurora: this user's is among them.
    const active = grants.filter((g) => g.clientId === 'demo-fintech' && g.status === 'active')
    expect(active.length).toBeGreaterThan(0)

    const forged = await consoleApp.inject({
      method: 'POST',
      url: `/api/banks/aurora/grants/${active[0]?.id}/revoke`,
    })
    expect(forged.statusCode).toBe(403)

    for (const grant of active) {
      const revoked = await consoleApp.inject({
        method: 'POST',
        url: `/api/banks/aurora/grants/${grant.id}/revoke`,
        headers: { 'x-sandbox-console': '1' },
      })
      expect(revoked.statusCode, revoked.body).toBe(200)
    }
    const accounts = (await person.call('GET', '/api/accounts')).json<{
      banks: unknown[]
      problems: Array<{ action: string }>
    }>()
    expect(accounts.banks).toEqual([])
    expect(accounts.problems).toEqual([expect.objectContaining({ action: 'reconnect' })])
  })
})
