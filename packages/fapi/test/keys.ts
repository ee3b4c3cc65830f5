import { exportJWK, generateKeyPair, type JWK } from 'jose'

export interface TestKey {
  privateKey: CryptoKey
  publicJwk: JWK
}

export async function testKey(
  alg: 'ES256' | 'PS256' | 'EdDSA' | 'RS256',
  kid: string,
  modulusLength?: number,
): Promise<TestKey> {
  const pair = await generateKeyPair(alg, {
    extractable: true,
    ...(modulusLength ? { modulusLength } : {}),
  })
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid }
  return { privateKey: pair.privateKey, publicJwk }
}

/** A 1024-bit RSA public key (jose refuses to generate one), made with WebCrypto directly. */
export async function weakRsaJwk(kid: string): Promise<JWK> {
  const pair = (await crypto.subtle.generateKey(
    {
      name: 'RSA-PSS',
      modulusLength: 1024,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  return { ...(await exportJWK(pair.publicKey)), kid }
}
