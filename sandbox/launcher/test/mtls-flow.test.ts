/**
 * The mTLS bank end to end over real TLS (RFC 8705): a client registered for tls_client_auth with
 * the demo fintech's certificate pushes, is authorized (headless consent), exchanges the code at
 * the mutual-TLS alias and gets a certificate-bound token that works only with that certificate.
 */
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { calculateCertificateThumbprint } from '@sandbox/fapi/mtls'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchSandbox, type RunningSandbox } from '../src/launch.js'
import { BANK_OP_MTLS, portsFor } from '../src/services.js'
import { httpsRequest, parFields, postForm, type TlsClientOptions } from './https-client.js'

let dataDir: string
let sandbox: RunningSandbox

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'launch-mtls-flow-'))
  sandbox = await launchSandbox({
    dataDir,
    host: '127.0.0.1',
    ports: portsFor(0),
    seed: 42,
    customersPerBank: 5,
    reset: false,
  })
})
afterAll(async () => {
  await sandbox?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const urlOf = (name: string) => {
  const service = sandbox.services.find((candidate) => candidate.name === name)
  if (service === undefined) throw new Error(`no ${name} listener`)
  return service.url
}

test('register, push, authorize, exchange at the alias and use the certificate-bound token', async () => {
  const tenant = sandbox.banks.find(
    ({ bank }: { bank: Bank }) => bank.profile.senderConstraint === 'mtls',
  )
  if (tenant === undefined) throw new Error('no mTLS bank')
  const { bank } = tenant
  const fintech = sandbox.pki.clients.fintech
  const withCertificate: TlsClientOptions = {
    ca: sandbox.pki.ca.certPem,
    cert: fintech.certPem,
    key: fintech.keyPem,
  }
  const issuer = `${urlOf('bank-op')}/${bank.id}`
  const alias = `${urlOf(BANK_OP_MTLS)}/${bank.id}`
  const redirectUri = 'https://tpp.mtls.test/callback'

  const registration = await httpsRequest(
    'POST',
    `${issuer}/register`,
    {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: sandbox.demoFintech.certificateSubjectDn,
        grant_types: ['authorization_code', 'refresh_token'],
        sandbox_automatic_consent: 'approve',
      }),
    },
    { ca: sandbox.pki.ca.certPem },
  )
  expect(registration.status).toBe(201)
  const clientId = String(registration.json().client_id)

  const [user] = await tenant.db.all<{ username: string }>(
    'SELECT username FROM test_users ORDER BY username LIMIT 1',
  )
  const pushed = await postForm(
    `${alias}/par`,
    { ...(await parFields(clientId, redirectUri)), login_hint: user?.username ?? '' },
    withCertificate,
  )
  expect(pushed.status).toBe(201)

  const authorization = await httpsRequest(
    'GET',
    `${issuer}/authorize?client_id=${clientId}&request_uri=${encodeURIComponent(String(pushed.json().request_uri))}`,
    {},
    { ca: sandbox.pki.ca.certPem },
  )
  expect(authorization.status).toBe(303)
  const callback = new URL(String(authorization.headers.location))
  expect(callback.searchParams.get('iss')).toBe(issuer)
  const code = callback.searchParams.get('code') ?? ''

  const exchange = {
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    redirect_uri: redirectUri,
    code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  }
  const tokens = await postForm(`${alias}/token`, exchange, withCertificate)
  expect(tokens.status).toBe(200)
  expect(tokens.json().token_type).toBe('Bearer')
  const accessToken = String(tokens.json().access_token)
  // RFC 8705 section 3.1: bound to the certificate the connection presented.
  const der = new Uint8Array(new X509Certificate(fintech.certPem).raw)
  expect(decodeJwt(accessToken).cnf).toEqual({
    'x5t#S256': await calculateCertificateThumbprint(der),
  })

  const bearer = { authorization: `Bearer ${accessToken}` }
  const userinfo = await httpsRequest(
    'GET',
    `${alias}/userinfo`,
    { headers: bearer },
    withCertificate,
  )
  expect(userinfo.status).toBe(200)
  // AS-SC-15 / RS-09: the same token without the certificate is refused.
  const without = await httpsRequest(
    'GET',
    `${alias}/userinfo`,
    { headers: bearer },
    { ca: sandbox.pki.ca.certPem },
  )
  expect(without.status).toBe(401)
  expect(String(without.headers['www-authenticate'])).toMatch(/^Bearer .*error="invalid_token"/)

  const refreshed = await postForm(
    `${alias}/token`,
    {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: String(tokens.json().refresh_token),
    },
    withCertificate,
  )
  expect(refreshed.status).toBe(200)
  expect(refreshed.json().refresh_token).toBeUndefined()
})
