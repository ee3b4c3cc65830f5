import { requestRules } from '@sandbox/bank-op/rules/request'
import { rules } from '@sandbox/fapi/errors/rules'
import { createCertificateAuthority } from '@sandbox/pki/certificate-authority'
import { DEMO_FINTECH_CLIENT, issueClientCertificate } from '@sandbox/pki/client-certificate'
import { readSandboxCertificateAuthority } from '@sandbox/pki/sandbox-pki'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import { generateKeyPair } from 'jose'
import { beforeAll, describe, expect, test } from 'vitest'
import type { RunningSandbox } from '../src/launch.js'
import { BANK_OP_MTLS } from '../src/services.js'
import { getOverTls } from '../src/wait-for-health.js'
import {
  assertionFields,
  expectOAuthError,
  type HttpsResponse,
  parFields,
  postForm,
} from './https-client.js'
import { useLaunchedSandbox } from './launched-sandbox.js'

const launched = useLaunchedSandbox('launch-mtls')
let sandbox: RunningSandbox

beforeAll(() => {
  sandbox = launched.sandbox
})

function urlOf(name: string): string {
  const service = sandbox.services.find((candidate) => candidate.name === name)
  if (service === undefined) throw new Error(`no ${name} listener`)
  return service.url
}

function bankWith(match: (bank: Bank) => boolean): Bank {
  const found = sandbox.banks.find(({ bank }) => match(bank))
  if (found === undefined) throw new Error('the seed has no bank with that profile')
  return found.bank
}

const mtlsBank = () => bankWith((bank) => bank.profile.clientAuth === 'tls_client_auth')
const privateKeyJwtBank = () =>
  bankWith(
    (bank) => bank.profile.clientAuth === 'private_key_jwt' && !bank.profile.dpopNonceRequired,
  )

/** The demo fintech's PAR at `bank` over real TLS, presenting `certificate` when given. */
async function pushAs(
  base: string,
  bank: Bank,
  certificate?: { certPem: string; keyPem: string },
): Promise<HttpsResponse> {
  const { clientId, redirectUris } = sandbox.demoFintech
  return postForm(`${base}/${bank.id}/par`, await parFields(clientId, redirectUris[0] ?? ''), {
    ca: sandbox.pki.ca.certPem,
    cert: certificate?.certPem,
    key: certificate?.keyPem,
  })
}

describe('the mTLS bank over real TLS (RFC 8705)', () => {
  test('discovery points mtls_endpoint_aliases at the mutual-TLS listener (AS-MD-07, AS-TLS-07)', async () => {
    const bank = mtlsBank()
    const res = await getOverTls(
      `${urlOf('bank-op')}/${bank.id}/.well-known/oauth-authorization-server`,
      sandbox.pki.ca.certPem,
    )
    const aliases = JSON.parse(res.body).mtls_endpoint_aliases
    expect(aliases.pushed_authorization_request_endpoint).toBe(
      `${urlOf(BANK_OP_MTLS)}/${bank.id}/par`,
    )
  })

  test('PAR at the alias with the fintech certificate and tls_client_auth: 201 (AS-CA-12)', async () => {
    const res = await pushAs(urlOf(BANK_OP_MTLS), mtlsBank(), sandbox.pki.clients.fintech)
    expect(res.status, res.body).toBe(201)
    expect(res.json().request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/)
  })

  test('PAR at the alias without a certificate: 401 invalid_client (AS-CA-12)', async () => {
    const res = await pushAs(urlOf(BANK_OP_MTLS), mtlsBank())
    expectOAuthError(res, rules.tlsClientCertificateMissing)
  })

  test('PAR with the same subject from another CA: 401 invalid_client (AS-CA-12)', async () => {
    const impostorCa = await createCertificateAuthority({ commonName: 'Impostor CA' })
    const impostor = await issueClientCertificate(impostorCa, DEMO_FINTECH_CLIENT)
    const res = await pushAs(urlOf(BANK_OP_MTLS), mtlsBank(), impostor)
    expect(expectOAuthError(res, requestRules.tlsClientAuth)).toContain('does not chain')
  })

  test('PAR with a sandbox certificate for another subject: 401 invalid_client (AS-CA-12)', async () => {
    const ca = await readSandboxCertificateAuthority(sandbox.pki.dir)
    const other = await issueClientCertificate(ca, { ...DEMO_FINTECH_CLIENT, commonName: 'other' })
    const res = await pushAs(urlOf(BANK_OP_MTLS), mtlsBank(), other)
    expectOAuthError(res, rules.tlsClientAuthSubject)
  })

  test('PAR at the public listener, even with the certificate: 401 naming the aliases (AS-CA-12)', async () => {
    const res = await pushAs(urlOf('bank-op'), mtlsBank(), sandbox.pki.clients.fintech)
    expect(expectOAuthError(res, requestRules.tlsClientAuth)).toContain('mtls_endpoint_aliases')
  })
})

describe('a private_key_jwt bank over real TLS', () => {
  test('PAR signed with the demo fintech key from the data folder: 201 (AS-CA-02)', async () => {
    const bank = privateKeyJwtBank()
    const { clientId, key } = sandbox.demoFintech
    const issuer = `${urlOf('bank-op')}/${bank.id}`
    const res = await postForm(
      `${issuer}/par`,
      {
        ...(await parFields(clientId, sandbox.demoFintech.redirectUris[0] ?? '')),
        ...(await assertionFields(clientId, key, issuer)),
      },
      { ca: sandbox.pki.ca.certPem },
    )
    expect(res.status, res.body).toBe(201)
  })

  test('an assertion signed by another key under its kid is refused (AS-CA-09)', async () => {
    const bank = privateKeyJwtBank()
    const { clientId } = sandbox.demoFintech
    const stranger = await generateKeyPair('ES256')
    const issuer = `${urlOf('bank-op')}/${bank.id}`
    const res = await postForm(
      `${issuer}/par`,
      {
        ...(await parFields(clientId, sandbox.demoFintech.redirectUris[0] ?? '')),
        ...(await assertionFields(
          clientId,
          { ...sandbox.demoFintech.key, privateKey: stranger.privateKey },
          issuer,
        )),
      },
      { ca: sandbox.pki.ca.certPem },
    )
    expectOAuthError(res, rules.clientAssertionKey)
  })
})
