import { X509Certificate } from 'node:crypto'
import { expect, describe as suite, test } from 'vitest'
import { rules } from '../src/errors/rules.js'
import {
  calculateCertificateThumbprint,
  checkCertificateBinding,
  checkTlsClientAuth,
  dnFromNodeSubject,
  isSameDistinguishedName,
  type PresentedCertificate,
  parseDistinguishedName,
} from '../src/mtls.js'
import { expectRule } from './helpers.js'

// A self-signed P-256 certificate (public data only; its private key was discarded), made with openssl:
// subject /C=GB/O=Sandbox Fintech, Ltd./OU=Payments+UID=tpp-7/CN=c1.tpp.sandbox.test, SANs
// DNS:c1.tpp.sandbox.test, URI:https://tpp.sandbox.test/c1, IP:2001:db8::1, IP:192.0.2.7,
// email:ops@TPP.sandbox.test.
const PEM = `-----BEGIN CERTIFICATE-----
MIICpzCCAk6gAwIBAgIUIdhuR2EADjd5lT41RfDISU3C80cwCgYIKoZIzj0EAwIw
czELMAkGA1UEBhMCR0IxHjAcBgNVBAoMFVNhbmRib3ggRmludGVjaCwgTHRkLjEm
MA8GA1UECwwIUGF5bWVudHMwEwYKCZImiZPyLGQBAQwFdHBwLTcxHDAaBgNVBAMM
E2MxLnRwcC5zYW5kYm94LnRlc3QwHhcNMjYxMTI4MTM0NzQ3WhcNMzYxMTI1MTM0
NzQ3WjBzMQswCQYDVQQGEwJHQjEeMBwGA1UECgwVU2FuZGJveCBGaW50ZWNoLCBM
dGQuMSYwDwYDVQQLDAhQYXltZW50czATBgoJkiaJk/IsZAEBDAV0cHAtNzEcMBoG
A1UEAwwTYzEudHBwLnNhbmRib3gudGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABGkDHeTo0yybZ9mv+3LcvFFIujVXfyWfyrvFlwvxQh0n83NMx1b2aC5yB8LR
+Dc2iDv6pzQOlfQyinmzleh7+Dajgb8wgbwwHQYDVR0OBBYEFLgsPB4c4Rd2xLzO
Ghagky4s6AEjMB8GA1UdIwQYMBaAFLgsPB4c4Rd2xLzOGhagky4s6AEjMA8GA1Ud
EwEB/wQFMAMBAf8waQYDVR0RBGIwYIITYzEudHBwLnNhbmRib3gudGVzdIYbaHR0
cHM6Ly90cHAuc2FuZGJveC50ZXN0L2MxhxAgAQ24AAAAAAAAAAAAAAABhwTAAAIH
gRRvcHNAVFBQLnNhbmRib3gudGVzdDAKBggqhkjOPQQDAgNHADBEAiBcBTh2IYSa
xstospVkVQAVrFYJZJuGdiqy3dbVk68nFAIgTx8Ivv+CDZFuVOXWBO37BOMSsPAf
cnmvvbRz01YCM3Q=
-----END CERTIFICATE-----`
const DER = Uint8Array.from(atob(PEM.replace(/-----[A-Z ]+-----|\s/g, '')), (ch) =>
  ch.charCodeAt(0),
)
// `openssl x509 -outform der | openssl dgst -sha256 -binary | basenc --base64url`
const THUMBPRINT = 'dv_lIyVggsf4AToZzF2PfzGEAjNcXdVOGHNTwoy0Ulo'
// `openssl x509 -noout -subject -nameopt RFC2253`
const OPENSSL_RFC2253 =
  'CN=c1.tpp.sandbox.test,UID=tpp-7+OU=Payments,O=Sandbox Fintech\\, Ltd.,C=GB'
// Node 20's `new X509Certificate(pem).subject` for the same certificate.
const NODE_SUBJECT =
  'C=GB\nO=Sandbox Fintech\\, Ltd.\nOU=Payments + UID=tpp-7\nCN=c1.tpp.sandbox.test'

const PRESENTED: PresentedCertificate = {
  subjectDn: dnFromNodeSubject(NODE_SUBJECT),
  sanDns: ['c1.tpp.sandbox.test'],
  sanUri: ['https://tpp.sandbox.test/c1'],
  sanIp: ['2001:DB8:0:0:0:0:0:1', '192.0.2.7'],
  sanEmail: ['ops@TPP.sandbox.test'],
}

suite('certificate thumbprint and binding (RFC 8705 3)', () => {
  test('x5t#S256 of the DER certificate matches openssl', async () => {
    expect(await calculateCertificateThumbprint(DER)).toBe(THUMBPRINT)
  })

  test('the bound certificate passes', () => {
    expect(() => checkCertificateBinding({ 'x5t#S256': THUMBPRINT }, THUMBPRINT)).not.toThrow()
  })

  test('another certificate, none, or a token without x5t#S256 (AS-SC-15, RS-09)', async () => {
    const other = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
    await expectRule(
      () => checkCertificateBinding({ 'x5t#S256': THUMBPRINT }, other),
      rules.certificateBinding,
    )
    await expectRule(
      () => checkCertificateBinding({ 'x5t#S256': THUMBPRINT }, undefined),
      rules.certificateBinding,
    )
    await expectRule(() => checkCertificateBinding(undefined, THUMBPRINT), rules.certificateBinding)
  })
})

suite('distinguished names (RFC 4514)', () => {
  test('Node subject lines become RFC 4514, last RDN first', () => {
    expect(dnFromNodeSubject('C=GB\nO=Bank\nCN=c1')).toBe('CN=c1,O=Bank,C=GB')
    expect(dnFromNodeSubject(NODE_SUBJECT)).toBe(
      'CN=c1.tpp.sandbox.test,OU=Payments+UID=tpp-7,O=Sandbox Fintech\\, Ltd.,C=GB',
    )
    // What this Node prints today for the fixture, so a change of format shows up here.
    const live = new X509Certificate(PEM).subject
    expect(isSameDistinguishedName(dnFromNodeSubject(live), OPENSSL_RFC2253)).toBe(true)
  })

  test('parses escapes, hex pairs, multi-valued RDNs and OIDs', () => {
    expect(parseDistinguishedName('CN=a\\,b\\2Bc\\C3\\A9,2.5.4.10=X+ou=Y')).toEqual([
      [{ type: 'cn', value: 'a,b+cé' }],
      [
        { type: 'o', value: 'X' },
        { type: 'ou', value: 'Y' },
      ],
    ])
    expect(parseDistinguishedName('CN=\\ padded\\ ')?.[0]).toEqual([
      { type: 'cn', value: ' padded ' },
    ])
    for (const bad of ['', 'CN', 'CN=a,', 'CN=a"b', 'CN=\\q', 'CN=\\FF', '1x=a', 'CN=']) {
      expect(parseDistinguishedName(bad)).toBeUndefined()
    }
  })

  test('same DN: spaces after commas, type case, OIDs and order inside an RDN do not matter', () => {
    expect(isSameDistinguishedName('CN=a,O=b', 'CN=a, O=b')).toBe(true)
    expect(isSameDistinguishedName('cn=a , o = b', 'CN=a,O=b')).toBe(true)
    expect(isSameDistinguishedName('2.5.4.3=a,O=b', 'CN=a,O=b')).toBe(true)
    expect(isSameDistinguishedName(OPENSSL_RFC2253, dnFromNodeSubject(NODE_SUBJECT))).toBe(true)
  })

  test('different DN: RDN order, value case, missing RDN, unparseable', () => {
    expect(isSameDistinguishedName('CN=a,O=b', 'O=b,CN=a')).toBe(false)
    expect(isSameDistinguishedName('CN=a,O=b', 'CN=A,O=b')).toBe(false)
    expect(isSameDistinguishedName('CN=a,O=b', 'CN=a')).toBe(false)
    expect(isSameDistinguishedName('CN=a,O=b', 'CN=a,O=b,')).toBe(false)
  })
})

suite('tls_client_auth (RFC 8705 2.1.2)', () => {
  test('matches the registered subject DN or SAN value', () => {
    for (const registered of [
      { tls_client_auth_subject_dn: OPENSSL_RFC2253 },
      {
        tls_client_auth_subject_dn:
          'CN=c1.tpp.sandbox.test, OU=Payments+UID=tpp-7, O=Sandbox Fintech\\, Ltd., C=GB',
      },
      { tls_client_auth_san_dns: 'C1.TPP.sandbox.test' },
      { tls_client_auth_san_uri: 'https://tpp.sandbox.test/c1' },
      { tls_client_auth_san_ip: '2001:db8::1' },
      { tls_client_auth_san_ip: '192.0.2.7' },
      { tls_client_auth_san_email: 'ops@tpp.sandbox.test' },
    ]) {
      expect(() => checkTlsClientAuth(registered, PRESENTED)).not.toThrow()
    }
  })

  test('no client certificate (AS-CA-12)', async () => {
    await expectRule(
      () => checkTlsClientAuth({ tls_client_auth_san_dns: 'c1.tpp.sandbox.test' }, undefined),
      rules.tlsClientCertificateMissing,
    )
  })

  test("another client's certificate, or none or two values registered (AS-CA-12)", async () => {
    for (const registered of [
      { tls_client_auth_subject_dn: 'CN=c2.tpp.sandbox.test,O=Sandbox Fintech\\, Ltd.,C=GB' },
      {
        tls_client_auth_subject_dn:
          'C=GB,O=Sandbox Fintech\\, Ltd.,OU=Payments+UID=tpp-7,CN=c1.tpp.sandbox.test',
      },
      { tls_client_auth_san_dns: 'c2.tpp.sandbox.test' },
      { tls_client_auth_san_uri: 'https://tpp.sandbox.test/C1' },
      { tls_client_auth_san_ip: '192.0.2.8' },
      { tls_client_auth_san_ip: 'c1.tpp.sandbox.test' },
      { tls_client_auth_san_email: 'OPS@tpp.sandbox.test' },
      {},
      {
        tls_client_auth_san_dns: 'c1.tpp.sandbox.test',
        tls_client_auth_san_uri: 'https://tpp.sandbox.test/c1',
      },
    ]) {
      await expectRule(() => checkTlsClientAuth(registered, PRESENTED), rules.tlsClientAuthSubject)
    }
    await expectRule(
      () =>
        checkTlsClientAuth(
          { tls_client_auth_subject_dn: OPENSSL_RFC2253 },
          { ...PRESENTED, subjectDn: undefined },
        ),
      rules.tlsClientAuthSubject,
    )
  })
})
