import { X509Certificate } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type CertificateAuthority,
  createCertificateAuthority,
} from '../src/certificate-authority.js'
import { issueServerCertificate, serverSubjectAltNames } from '../src/server-certificate.js'
import { x509 } from '../src/x509.js'

const DAY_MS = 24 * 60 * 60 * 1000
let ca: CertificateAuthority

beforeAll(async () => {
  ca = await createCertificateAuthority()
})

describe('issueServerCertificate', () => {
  it('chains to the CA (checkIssued and the CA signature verify)', async () => {
    const server = await issueServerCertificate(ca)
    const cert = new X509Certificate(server.certPem)
    const caCert = new X509Certificate(ca.certPem)
    expect(cert.checkIssued(caCert)).toBe(true)
    expect(cert.verify(caCert.publicKey)).toBe(true)
    expect(cert.ca).toBe(false)
  })

  it('names localhost, 127.0.0.1 and ::1 in subjectAltName (RFC 6125 6.4, 6.2.1)', async () => {
    const cert = new X509Certificate((await issueServerCertificate(ca)).certPem)
    expect(cert.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    )
    expect(cert.checkHost('localhost')).toBe('localhost')
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(cert.checkIP('::1')).toBe('::1')
    expect(cert.checkHost('example.com')).toBeUndefined()
  })

  it('adds extra host names as DNS names and IP literals as addresses', async () => {
    const cert = new X509Certificate(
      (await issueServerCertificate(ca, { hostnames: ['Bank.Localhost', '10.1.2.3', '[::1]'] }))
        .certPem,
    )
    expect(cert.checkHost('bank.localhost')).toBe('bank.localhost')
    expect(cert.checkIP('10.1.2.3')).toBe('10.1.2.3')
    expect(serverSubjectAltNames(['localhost', '[::1]', 'a.test'])).toEqual([
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
      { type: 'ip', value: '::1' },
      { type: 'dns', value: 'a.test' },
    ])
  })

  it('has keyUsage digitalSignature (critical), serverAuth and the CA key id as AKI', async () => {
    const cert = new x509.X509Certificate((await issueServerCertificate(ca)).certPem)
    const usage = cert.getExtension(x509.KeyUsagesExtension)
    expect(usage).toMatchObject({ usages: x509.KeyUsageFlags.digitalSignature, critical: true })
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      x509.ExtendedKeyUsage.serverAuth,
    ])
    const caKeyId = new x509.X509Certificate(ca.certPem).getExtension(
      x509.SubjectKeyIdentifierExtension,
    )?.keyId
    expect(caKeyId).toBeDefined()
    expect(cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(caKeyId)
    expect(cert.getExtension(x509.SubjectKeyIdentifierExtension)).not.toBeNull()
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false)
  })

  it('is valid at most 397 days, within the 398-day browser limit', async () => {
    const now = new Date('2031-06-01T12:00:00Z')
    const cert = new x509.X509Certificate((await issueServerCertificate(ca, { now })).certPem)
    const days = (cert.notAfter.getTime() - cert.notBefore.getTime()) / DAY_MS
    expect(days).toBeLessThanOrEqual(397)
    expect(cert.notBefore.getTime()).toBeLessThanOrEqual(now.getTime())
  })

  it('never outlives the CA that signs it', async () => {
    const caCert = new x509.X509Certificate(ca.certPem)
    const now = new Date(caCert.notAfter.getTime() - 10 * DAY_MS)
    const cert = new x509.X509Certificate((await issueServerCertificate(ca, { now })).certPem)
    expect(cert.notAfter.getTime()).toBe(caCert.notAfter.getTime())
  })

  it('refuses a CA whose key is not the one in its certificate', async () => {
    const other = await createCertificateAuthority()
    await expect(
      issueServerCertificate({ certPem: ca.certPem, keyPem: other.keyPem }),
    ).rejects.toThrow('the CA private key does not match the CA certificate')
  })
})
