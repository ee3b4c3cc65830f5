import { rules } from '@sandbox/fapi/errors/rules'
import type { PeerCertificate } from '@sandbox/service-kit/peer-certificate'
import type { FastifyRequest } from 'fastify'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { MTLS_LISTENER_NAME, SERVICE_NAME } from '../../src/app.js'
import type { BankContext } from '../../src/bank-context.js'
import { requestRules } from '../../src/rules/request.js'
import { buildTestBankOp, dpopBank, mtlsBank, type TestBankOp } from '../helpers.js'
import {
  assertionFields,
  contextOf,
  expectOAuthError,
  form,
  pathOf,
  pkce,
  REDIRECT_URI,
  registerClient,
  type TestClient,
} from '../oauth-helpers.js'

const SUBJECT_DN = 'CN=demo-fintech,O=Demo Fintech Ltd,C=GB'

/** Certificates the test "presents", picked by the x-test-certificate header (inject has no TLS). */
const certificates: Record<string, PeerCertificate> = {
  registered: certificate(SUBJECT_DN),
  'other-subject': certificate('CN=someone-else,O=Demo Fintech Ltd,C=GB'),
  'other-ca': { ...certificate(SUBJECT_DN), trusted: false, untrustedReason: 'SELF_SIGNED' },
}

function certificate(subjectDn: string): PeerCertificate {
  return {
    der: new TextEncoder().encode(subjectDn),
    subjectDn,
    sanDns: [],
    sanUri: [],
    sanIp: [],
    sanEmail: [],
    trusted: true,
  }
}

const presented = (request: FastifyRequest) =>
  certificates[String(request.headers['x-test-certificate'])]

let op: TestBankOp
let meridian: BankContext
let client: TestClient

beforeAll(async () => {
  op = await buildTestBankOp({ deps: { peerCertificate: presented } })
  meridian = contextOf(op, mtlsBank().id)
  client = await registerClient(meridian, { tls_client_auth_subject_dn: SUBJECT_DN })
})
afterAll(() => op.close())

function mtlsApp() {
  if (op.mtlsApp === undefined) throw new Error('bank-op built no mutual-TLS listener')
  return op.mtlsApp
}

async function parFields(clientId = client.clientId) {
  return {
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    ...(await pkce()),
  }
}

function push(
  app: TestBankOp['app'],
  fields: Record<string, string | undefined>,
  presenting?: keyof typeof certificates,
) {
  return app.inject({
    method: 'POST',
    url: pathOf(meridian, '/par'),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(presenting === undefined ? {} : { 'x-test-certificate': presenting }),
    },
    payload: form(fields),
  })
}

describe('the mutual-TLS listener (RFC 8705 section 5)', () => {
  test('is built only when an mTLS base URL is configured', async () => {
    expect(op.mtlsApp).toBeDefined()
    const plain = await buildTestBankOp({ config: { mtlsBaseUrl: undefined } })
    try {
      expect(plain.mtlsApp).toBeUndefined()
    } finally {
      await plain.close()
    }
  })

  test('answers health with the same probes under its own name, and serves no discovery or jwks', async () => {
    const own = await mtlsApp().inject({ method: 'GET', url: '/health' })
    const pub = await op.app.inject({ method: 'GET', url: '/health' })
    expect(own.json().service).toBe(MTLS_LISTENER_NAME)
    expect(pub.json().service).toBe(SERVICE_NAME)
    expect({ ...own.json(), service: SERVICE_NAME }).toEqual(pub.json())
    expect(own.json().checks).toHaveLength(op.contexts.size)
    for (const path of ['/.well-known/openid-configuration', '/jwks']) {
      const res = await mtlsApp().inject({ method: 'GET', url: pathOf(meridian, path) })
      expect(res.statusCode).toBe(404)
    }
  })

  test('PAR with tls_client_auth and the registered certificate: 201 (AS-TLS-07, AS-CA-12)', async () => {
    const res = await push(mtlsApp(), await parFields(), 'registered')
    expect(res.statusCode).toBe(201)
    expect(res.headers['cache-control']).toBe('no-store')
    // The request is kept in the bank's one state, which the public listener reads too.
    expect(meridian.pushedRequests.get(res.json().request_uri)?.clientId).toBe(client.clientId)
  })

  test('GET at the aliased PAR endpoint (AS-PAR-04)', async () => {
    const res = await mtlsApp().inject({ method: 'GET', url: pathOf(meridian, '/par') })
    expectOAuthError(res, { rule: requestRules.postOnly, headers: { allow: 'POST' } })
  })
})

describe('tls_client_auth rejects (AS-CA-12)', () => {
  test('no client certificate on the mTLS listener (AS-CA-12)', async () => {
    const res = await push(mtlsApp(), await parFields())
    expectOAuthError(res, { rule: rules.tlsClientCertificateMissing })
  })

  test('a certificate that does not chain to the sandbox CA (AS-CA-12)', async () => {
    const res = await push(mtlsApp(), await parFields(), 'other-ca')
    const body = expectOAuthError(res, { rule: requestRules.tlsClientAuth })
    expect(body.error_description).toContain('does not chain to the sandbox CA')
  })

  test('a trusted certificate with another subject (AS-CA-12)', async () => {
    const res = await push(mtlsApp(), await parFields(), 'other-subject')
    expectOAuthError(res, { rule: rules.tlsClientAuthSubject })
  })

  test('a client_id no client registered (AS-CA-12)', async () => {
    const res = await push(mtlsApp(), await parFields('stranger'), 'registered')
    expectOAuthError(res, { rule: requestRules.tlsClientAuth })
  })

  test('tls_client_auth at the public listener points to the aliases (AS-CA-12, AS-MD-07)', async () => {
    const res = await push(op.app, await parFields(), 'registered')
    const body = expectOAuthError(res, { rule: requestRules.tlsClientAuth })
    expect(body.error_description).toContain('mtls_endpoint_aliases')
  })
})

describe('both listeners share each bank state, never a copy', () => {
  test('a client assertion used on the public listener is a replay on the mTLS one (AS-CA-07)', async () => {
    const aurora = contextOf(op, dpopBank().id)
    const dpopClient = await registerClient(aurora)
    const fields = {
      ...(await assertionFields(dpopClient, aurora)),
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid accounts',
      ...(await pkce()),
    }
    const request = {
      method: 'POST' as const,
      url: pathOf(aurora, '/par'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(fields),
    }
    expect((await op.app.inject(request)).statusCode).toBe(201)
    expectOAuthError(await mtlsApp().inject(request), { rule: rules.clientAssertionReplay })
  })
})
