import { X509Certificate } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type CertificateAuthority,
  createCertificateAuthority,
} from '../src/certificate-authority.js'
import { readCertificateIdentity } from '../src/certificate-identity.js'
import { DEMO_FINTECH_CLIENT, issueClientCertificate } from '../src/client-certificate.js'
import { x509 } from '../src/x509.js'

let ca: CertificateAuthority

beforeAll(async () => {
  ca = await createCertificateAuthority()
})

describe('issueClientCertificate', () => {
  it('issues the demo fintech certificate for tls_client_auth (RFC 8705 2.1.2)', async () => {
    const client = await issueClientCertificate(ca, DEMO_FINTECH_CLIENT)
    const cert = new X509Certificate(client.certPem)
    const caCert = new X509Certificate(ca.certPem)
    expect(cert.checkIssued(caCert) && cert.verify(caCert.publicKey)).toBe(true)
    // Node prints the subject in ASN.1 order: country first.
    expect(cert.subject).toBe('C=GB\nO=Demo Fintech Ltd\nCN=demo-fintech')
    expect(cert.subjectAltName).toBe(
      'DNS:demo-fintech.localhost, URI:https://demo-fintech.localhost',
    )
    expect(cert.keyUsage).toEqual([x509.ExtendedKeyUsage.clientAuth])
    expect(readCertificateIdentity(client.certPem)).toMatchObject({
      subjectDn: 'CN=demo-fintech,O=Demo Fintech Ltd,C=GB',
      issuerDn: 'CN=Open Banking Sandbox CA,O=Open Banking Sandbox',
      dnsNames: ['demo-fintech.localhost'],
      uris: ['https://demo-fintech.localhost'],
      ipAddresses: [],
      emails: [],
    })
  })

  it('has keyUsage digitalSignature (critical) and an authority key identifier', async () => {
    const cert = new x509.X509Certificate(
      (await issueClientCertificate(ca, { commonName: 'second-fintech' })).certPem,
    )
    expect(cert.getExtension(x509.KeyUsagesExtension)).toMatchObject({
      usages: x509.KeyUsageFlags.digitalSignature,
      critical: true,
    })
    expect(cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]+$/)
  })

  it('issues a certificate with only a common name and no SAN extension', async () => {
    const client = await issueClientCertificate(ca, { commonName: 'second-fintech' })
    const cert = new X509Certificate(client.certPem)
    expect(cert.subject).toBe('CN=second-fintech')
    expect(cert.subjectAltName).toBeUndefined()
  })

  it('keeps special characters in names literal (no DN string parsing)', async () => {
    const organization = 'Fintech "Two", Ltd + Co'
    const client = await issueClientCertificate(ca, { commonName: '#2 fintech', organization })
    expect(readCertificateIdentity(client.certPem).subjectDn).toBe(
      'CN=\\#2 fintech,O=Fintech \\"Two\\"\\, Ltd \\+ Co',
    )
    expect(new X509Certificate(client.certPem).toLegacyObject().subject).toMatchObject({
      CN: '#2 fintech',
      O: organization,
    })
  })

  it('rejects a country that is not an ISO 3166 two-letter code', async () => {
    await expect(
      issueClientCertificate(ca, { commonName: 'x', country: 'Britain' }),
    ).rejects.toThrow("country must be a two-letter ISO 3166 code, got 'Britain'")
  })
})
