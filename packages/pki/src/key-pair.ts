/**
 * ECDSA P-256 key pairs for the sandbox certificates (FIPS 186-4, RFC 5480), kept on disk as
 * PKCS#8 PEM (RFC 5208, RFC 7468 section 10).
 */
import { createPrivateKey, KeyObject, webcrypto } from 'node:crypto'

/** The signature and key algorithm of every sandbox certificate: ECDSA P-256 with SHA-256. */
export const signingAlgorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

/** A WebCrypto key pair with its private key as PKCS#8 PEM. */
export interface KeyPair {
  publicKey: webcrypto.CryptoKey
  privateKey: webcrypto.CryptoKey
  keyPem: string
}

/** Generates an extractable ECDSA P-256 key pair and its PKCS#8 PEM. */
export async function generateKeyPair(): Promise<KeyPair> {
  const { publicKey, privateKey } = await webcrypto.subtle.generateKey(signingAlgorithm, true, [
    'sign',
    'verify',
  ])
  const keyPem = KeyObject.from(privateKey).export({ type: 'pkcs8', format: 'pem' }).toString()
  return { publicKey, privateKey, keyPem }
}

/**
 * Imports a PKCS#8 PEM private key for signing certificates.
 *
 * @throws Error when the PEM is not an EC P-256 private key.
 */
export async function importSigningKey(keyPem: string): Promise<webcrypto.CryptoKey> {
  const key = createPrivateKey(keyPem)
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the key is not an EC P-256 private key')
  }
  const der = key.export({ type: 'pkcs8', format: 'der' })
  return webcrypto.subtle.importKey('pkcs8', der, signingAlgorithm, false, ['sign'])
}
