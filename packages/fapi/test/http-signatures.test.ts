/**
 * HTTP message signatures: RFC 9421 Appendix B.2.6 (ed25519, deterministic) byte for byte, then
 * the FAPI 2.0 HTTP Signatures checks on a signed resource request, one refusal per rule.
 */
import { createHash } from 'node:crypto'
import { generateKeyPair, importJWK } from 'jose'
import { describe, expect, test } from 'vitest'
import { rules } from '../src/errors/rules.js'
import {
  type ComponentId,
  calculateContentDigest,
  createSignatureBase,
  parseSignatureInput,
  type SignableMessage,
  signHttpMessage,
  verifyHttpSignature,
} from '../src/http-signatures.js'
import { expectRule } from './helpers.js'

/** RFC 9421 Appendix B.1.4 `test-key-ed25519`. */
const RFC_ED25519 = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs',
  d: 'n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU',
}

/** RFC 9421 Appendix B.2: the test request, `POST /foo?param=Value&Pet=dog` at example.com. */
const RFC_REQUEST: SignableMessage = {
  method: 'POST',
  targetUri: 'https://example.com/foo?param=Value&Pet=dog',
  headers: {
    host: 'example.com',
    date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'content-type': 'application/json',
    'content-length': '18',
  },
}

const B26_COMPONENTS: ComponentId[] = [
  { name: 'date' },
  { name: '@method' },
  { name: '@path' },
  { name: '@authority' },
  { name: 'content-type' },
  { name: 'content-length' },
]

describe('RFC 9421 Appendix B.2.6 (ed25519)', () => {
  const parameters = { created: 1618884473, keyid: 'test-key-ed25519' }

  test('the signature base is the RFC one', () => {
    expect(createSignatureBase(RFC_REQUEST, B26_COMPONENTS, parameters)).toBe(
      [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@method": POST',
        '"@path": /foo',
        '"@authority": example.com',
        '"content-type": application/json',
        '"content-length": 18',
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
      ].join('\n'),
    )
  })

  test('the signature and the headers are the RFC ones, and they verify', async () => {
    const key = (await importJWK(RFC_ED25519, 'EdDSA')) as CryptoKey
    const headers = await signHttpMessage(RFC_REQUEST, {
      label: 'sig-b26',
      components: B26_COMPONENTS,
      parameters,
      key,
      alg: 'ed25519',
    })
    expect(headers).toEqual({
      'signature-input':
        'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
      signature:
        'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:',
    })
    const { x, kty, crv } = RFC_ED25519
    const publicKey = (await importJWK({ kty, crv, x }, 'EdDSA')) as CryptoKey
    const verified = await verifyHttpSignature(
      { ...RFC_REQUEST, headers: { ...RFC_REQUEST.headers, ...headers } },
      { key: publicKey, alg: 'ed25519', now: 1618884480, maxAgeSeconds: 60, required: [] },
    )
    expect(verified.label).toBe('sig-b26')
  })
})

test('Content-Digest is sha-256 of the body bytes (RFC 9530 section 2)', async () => {
  const body = '{"hello": "world"}\n'
  const expected = createHash('sha256').update(body).digest('base64')
  expect(await calculateContentDigest(body)).toBe(`sha-256=:${expected}:`)
})

describe('a FAPI 2.0 signed resource request (HSIG 5.3.1)', () => {
  const NOW = 1_800_000_000
  const body = '{"instructedAmount":{"amount":"1.00","currency":"GBP"}}'
  const REQUIRED: ComponentId[] = [
    { name: '@method' },
    { name: '@target-uri' },
    { name: 'authorization' },
    { name: 'dpop' },
    { name: 'content-digest' },
  ]

  async function signed(
    overrides: {
      components?: ComponentId[]
      parameters?: Record<string, unknown>
      body?: string
    } = {},
  ) {
    const { privateKey, publicKey } = await generateKeyPair('ES256')
    const message: SignableMessage = {
      method: 'POST',
      targetUri: 'https://localhost:8443/aurora/payments',
      headers: {
        authorization: 'DPoP token',
        dpop: 'proof',
        'content-type': 'application/json',
        'content-digest': await calculateContentDigest(body),
      },
    }
    const headers = await signHttpMessage(message, {
      label: 'sig1',
      components: overrides.components ?? REQUIRED,
      parameters: { created: NOW, keyid: 'c1-sig', tag: 'fapi-2-request', ...overrides.parameters },
      key: privateKey,
      alg: 'ecdsa-p256-sha256',
    })
    const sent = { ...message, headers: { ...message.headers, ...headers } }
    const verify = (options: { now?: number; key?: CryptoKey } = {}) =>
      verifyHttpSignature(sent, {
        key: options.key ?? publicKey,
        alg: 'ecdsa-p256-sha256',
        now: options.now ?? NOW + 5,
        maxAgeSeconds: 60,
        required: REQUIRED,
        tag: 'fapi-2-request',
        body: overrides.body ?? body,
      })
    return { sent, verify }
  }

  test('verifies, and parses back the components and parameters it was signed with', async () => {
    const { sent, verify } = await signed()
    await expect(verify()).resolves.toMatchObject({ label: 'sig1' })
    const input = parseSignatureInput(String(sent.headers['signature-input'])).get('sig1')
    expect(input?.components).toEqual(REQUIRED)
    expect(input?.parameters).toEqual({ created: NOW, keyid: 'c1-sig', tag: 'fapi-2-request' })
  })

  test('no signature is refused (MS-HSIG-02)', async () => {
    const { sent } = await signed()
    const { signature: _, ...headers } = sent.headers
    await expectRule(
      verifyHttpSignature(
        { ...sent, headers },
        {
          key: (await generateKeyPair('ES256')).publicKey,
          alg: 'ecdsa-p256-sha256',
          now: NOW,
          maxAgeSeconds: 60,
          required: REQUIRED,
        },
      ),
      rules.httpSignatureMissing,
    )
  })

  test('a body changed after signing is refused (MS-HSIG-02)', async () => {
    const { verify } = await signed({ body: body.replace('1.00', '100.00') })
    await expectRule(verify(), rules.httpSignatureInvalid)
  })

  test('another key is refused (MS-HSIG-06 via MS-HSIG-02)', async () => {
    const { verify } = await signed()
    const other = (await generateKeyPair('ES256')).publicKey
    await expectRule(verify({ key: other }), rules.httpSignatureInvalid)
  })

  test('another tag is refused (MS-HSIG-03)', async () => {
    const { verify } = await signed({ parameters: { tag: 'x' } })
    await expectRule(verify(), rules.httpSignatureTag)
  })

  test.each(REQUIRED.map((component) => [component.name, component] as const))(
    'leaving out %s is refused (MS-HSIG-04)',
    async (_, left) => {
      const { verify } = await signed({ components: REQUIRED.filter((c) => c !== left) })
      await expectRule(verify(), rules.httpSignatureComponents)
    },
  )

  test('no created, or one two minutes old, is refused (MS-HSIG-05)', async () => {
    const missing = await signed({ parameters: { created: undefined } })
    await expectRule(missing.verify(), rules.httpSignatureCreated)
    const stale = await signed()
    await expectRule(stale.verify({ now: NOW + 120 }), rules.httpSignatureCreated)
  })

  test('an hmac-sha256 signature is refused (MS-HSIG-09)', async () => {
    const { verify } = await signed({ parameters: { alg: 'hmac-sha256' } })
    await expectRule(verify(), rules.httpSignatureAlg)
  })
})

test('a response signature binds the request with ;req and the request signature (RFC 9421 section 2.4)', async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const request: SignableMessage = {
    method: 'GET',
    targetUri: 'https://localhost:8443/aurora/accounts',
    headers: { signature: 'sig1=:AAAA:', 'signature-input': 'sig1=("@method");created=1' },
  }
  const response: SignableMessage = {
    status: 200,
    headers: { 'content-digest': await calculateContentDigest('{}') },
    request,
  }
  const components: ComponentId[] = [
    { name: '@status' },
    { name: 'content-digest' },
    { name: '@method', req: true },
    { name: '@target-uri', req: true },
    { name: 'signature', req: true, key: 'sig1' },
  ]
  const base = createSignatureBase(response, components, { created: 5, tag: 'fapi-2-response' })
  expect(base).toContain('"@method";req: GET')
  expect(base).toContain('"signature";req;key="sig1": :AAAA:')
  const headers = await signHttpMessage(response, {
    label: 'sig1',
    components,
    parameters: { created: 5, tag: 'fapi-2-response' },
    key: privateKey,
    alg: 'ecdsa-p256-sha256',
  })
  await expect(
    verifyHttpSignature(
      { ...response, headers: { ...response.headers, ...headers } },
      {
        key: publicKey,
        alg: 'ecdsa-p256-sha256',
        now: 10,
        maxAgeSeconds: 60,
        required: components,
        tag: 'fapi-2-response',
        body: '{}',
      },
    ),
  ).resolves.toMatchObject({ label: 'sig1' })
})
