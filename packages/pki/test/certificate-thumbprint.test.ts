import { createHash, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { certificateThumbprint } from '../src/certificate-thumbprint.js'

// A throwaway self-signed certificate (its key was never kept), and its x5t#S256 computed
// outside this code: `openssl dgst -sha256 -binary vector.der | base64url`, checked with Python's
// hashlib.
const VECTOR_DER_BASE64 =
  'MIIBfzCCASWgAwIBAgIUBxgu6MKuJ6MYlM52FtZVpEj94PMwCgYIKoZIzj0EAwIwFTETMBEGA1UE' +
  'AwwKeDV0LXZlY3RvcjAeFw0yNjExMjgwNDMxNDFaFw0yNjExMjkwNDMxNDFaMBUxEzARBgNVBAMM' +
  'Cng1dC12ZWN0b3IwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATAhB3mgr+pRZfXfrTq7ljrOMpJ' +
  'Bj54r8AmU2zrlqLR1ALf/GwSA3zIDXEQIviq+GLdD+T5SoKB0lS9l9QDnTcUo1MwUTAdBgNVHQ4E' +
  'FgQUzJcXPPe9bE+H/qIldll1YVQAHcUwHwYDVR0jBBgwFoAUzJcXPPe9bE+H/qIldll1YVQAHcUw' +
  'DwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA39yDrFLhA8IqaBcyZZwOK+4BHBDW' +
  'NgUy/40JiRwOdcMCIE486YJurgmA9574hZpwv25d2Cxpyjnygu5tsgx8tYp5'
const VECTOR_X5T_S256 = 'N0ctDYIbgxT64Li6dNZlOy9w0sGelSK9nhB2ydI-0xQ'

const der = Buffer.from(VECTOR_DER_BASE64, 'base64')
const pem = `-----BEGIN CERTIFICATE-----\n${VECTOR_DER_BASE64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`

describe('certificateThumbprint (x5t#S256, RFC 8705 3.1)', () => {
  it('matches the independently computed vector from DER, PEM and X509Certificate', () => {
    expect(certificateThumbprint(der)).toBe(VECTOR_X5T_S256)
    expect(certificateThumbprint(pem)).toBe(VECTOR_X5T_S256)
    expect(certificateThumbprint(new X509Certificate(pem))).toBe(VECTOR_X5T_S256)
    expect(certificateThumbprint(new Uint8Array(der))).toBe(VECTOR_X5T_S256)
  })

  it('is the base64url SHA-256 of the DER, without padding', () => {
    const hex = createHash('sha256').update(der).digest('hex')
    expect(Buffer.from(VECTOR_X5T_S256, 'base64url').toString('hex')).toBe(hex)
    expect(VECTOR_X5T_S256).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('refuses an empty peer certificate (no client certificate sent)', () => {
    expect(() => certificateThumbprint({} as { raw: Uint8Array })).toThrow('no certificate')
  })
})
