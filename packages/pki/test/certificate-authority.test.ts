import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createCertificateAuthority } from '../src/certificate-authority.js'
import { x509 } from '../src/x509.js'

const DAY_MS = 24 * 60 * 60 * 1000

describe('createCertificateAuthority', () => {
  it('makes a self-signed P-256 root with the CA extensions of RFC 5280 4.2.1', async () => {
    const now = new Date('2030-01-01T00:00:00Z')
    const ca = await createCertificateAuthority({ now })
    const node = new X509Certificate(ca.certPem)
    expect(node.ca).toBe(true)
    expect(node.checkIssued(node)).toBe(true)
    expect(node.verify(node.publicKey)).toBe(true)
    expect(node.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    expect(node.subject).toBe('O=Open Banking Sandbox\nCN=Open Banking Sandbox CA')

    const cert = new x509.X509Certificate(ca.certPem)
    const basic = cert.getExtension(x509.BasicConstraintsExtension)
    expect(basic).toMatchObject({ ca: true, pathLength: 0, critical: true })
    const usage = cert.getExtension(x509.KeyUsagesExtension)
    expect(usage?.critical).toBe(true)
    expect(usage?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign)
    expect(cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{40}$/)
    expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBe(3650 * DAY_MS)
    expect(cert.notBefore.getTime()).toBeLessThanOrEqual(now.getTime())
  })

  it('writes the private key as PKCS#8 PEM', async () => {
    const ca = await createCertificateAuthority()
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/)
  })

  it('gives each CA a different positive serial of 16 octets (RFC 5280 4.1.2.2)', async () => {
    const [a, b] = await Promise.all([createCertificateAuthority(), createCertificateAuthority()])
    const serialA = new X509Certificate(a.certPem).serialNumber
    const serialB = new X509Certificate(b.certPem).serialNumber
    expect(serialA).not.toBe(serialB)
    for (const serial of [serialA, serialB]) expect(serial).toMatch(/^[4-7][0-9A-F]{31}$/)
  })
})
