/**
 * The demo fintech, pre-registered at every bank by the launcher (DESIGN principle 5: an explicit
 * sandbox convenience): one client per bank with RFC 7591 section 2 metadata, authenticating with
 * `private_key_jwt` (RFC 7523 section 2.2, an ES256 key kept in the data folder) or
 * `tls_client_auth` (RFC 8705 section 2.1.2, the subject DN of its sandbox client certificate),
 * whichever the bank's profile requires.
 */

import { generateSigningJwk, type PublicSigningJwk } from '@sandbox/bank-op/keys/bank-keys'
import { keyFilePath, readKeyFile, writeKeyFile } from '@sandbox/bank-op/keys/key-file'
import { createRingKey, publicPart, type RingKey } from '@sandbox/bank-op/keys/key-ring'
import { readCertificateIdentity } from '@sandbox/pki/certificate-identity'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import type { ClientInformation } from '@sandbox/spec-types/oauth/registration'
import { bankRepositories } from '@sandbox/store/bank-database'
import type { Database } from '@sandbox/store/database'
import { type CryptoKey, importJWK } from 'jose'
import { LaunchError } from './errors.js'

export const DEMO_FINTECH_CLIENT_ID = 'demo-fintech'
export const DEMO_FINTECH_CLIENT_NAME = 'Demo Fintech'
/** Where the fintech receives authorization responses, on its own port (base port + 4). */
export const DEMO_FINTECH_CALLBACK_PATH = '/callback'

/** The fintech's client authentication key: ES256 (FAPI 2.0 SP 5.4.1-1), `kid` its thumbprint. */
export interface DemoFintechKey {
  kid: string
  alg: 'ES256'
  privateKey: CryptoKey
  publicJwk: PublicSigningJwk
  /** `<data>/keys/demo-fintech.json`, mode 0600. */
  file: string
}

/** What the launcher registered, for the summary, the tests and the load generators. */
export interface DemoFintech {
  clientId: string
  key: DemoFintechKey
  redirectUris: readonly string[]
  /** `tls_client_auth_subject_dn` at the banks that authenticate clients by certificate. */
  certificateSubjectDn: string
}

/**
 * Opens the fintech's ES256 key from `<keysDir>/demo-fintech.json`, in bank-op's key file format
 * and with its checks, creating the key on first start and reusing it afterwards, so every start
 * registers the same public key.
 * @throws KeyFileError when the file exists but cannot be trusted
 */
export async function openDemoFintechKey(
  keysDir: string,
  now: () => Date = () => new Date(),
): Promise<DemoFintechKey> {
  const stored = await readKeyFile(keysDir, DEMO_FINTECH_CLIENT_ID)
  let key = stored.find((candidate) => candidate.alg === 'ES256' && candidate.status === 'current')
  if (key === undefined) {
    key = await createRingKey('ES256', 'current', generateSigningJwk, now())
    await writeKeyFile(keysDir, DEMO_FINTECH_CLIENT_ID, [...stored, key])
  }
  return {
    kid: key.jwk.kid,
    alg: 'ES256',
    privateKey: await importPrivateKey(key),
    publicJwk: { ...publicPart(key.jwk), kid: key.jwk.kid, alg: 'ES256', use: 'sig' },
    file: keyFilePath(keysDir, DEMO_FINTECH_CLIENT_ID),
  }
}

async function importPrivateKey(key: RingKey): Promise<CryptoKey> {
  const imported = await importJWK(key.jwk, key.alg)
  if (imported instanceof Uint8Array) throw new TypeError('the demo fintech key is not asymmetric')
  return imported
}

/**
 * The callback URLs the fintech may use: its public origin and the two loopback spellings, since
 * RFC 9700 section 4.1.3 compares redirect URIs as exact strings.
 */
export function demoFintechRedirectUris(origins: readonly string[]): string[] {
  return [...new Set(origins.map((origin) => `${origin}${DEMO_FINTECH_CALLBACK_PATH}`))]
}

/**
 * The fintech's client metadata at `bank` (RFC 7591 section 2): its own key or its certificate
 * subject for the method the bank requires, tokens bound by the bank's sender constraint, both
 * `authorization_details` types, no automatic consent.
 * @see https://www.rfc-editor.org/rfc/rfc8705.html#section-2.1.2
 */
export function demoFintechMetadata(bank: Bank, fintech: DemoFintech): ClientInformation {
  const { profile } = bank
  return {
    client_id: fintech.clientId,
    client_name: DEMO_FINTECH_CLIENT_NAME,
    redirect_uris: [...fintech.redirectUris],
    token_endpoint_auth_method: profile.clientAuth,
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    authorization_details_types: ['account_information', 'payment_initiation'],
    ...(profile.clientAuth === 'private_key_jwt'
      ? { jwks: { keys: [fintech.key.publicJwk] }, token_endpoint_auth_signing_alg: 'ES256' }
      : { tls_client_auth_subject_dn: fintech.certificateSubjectDn }),
    ...(profile.senderConstraint === 'dpop'
      ? { dpop_bound_access_tokens: true }
      : { tls_client_certificate_bound_access_tokens: true }),
  }
}

export interface RegisterDemoFintechOptions {
  banks: readonly { bank: Bank; db: Database }[]
  keysDir: string
  /** The fintech's mutual-TLS client certificate (PEM), from the sandbox PKI. */
  certificatePem: string
  /** The https origins the fintech is reached at. */
  origins: readonly string[]
  now?: (() => Date) | undefined
}

/**
 * Registers the demo fintech at every bank, replacing what an earlier start registered, so its
 * key, certificate subject and redirect URIs (which follow the ports) are always current. Any
 * automatic consent set on it is cleared: the demo client shows the real consent page.
 * @throws LaunchError when a bank's id would share the fintech's key file
 * @throws KeyFileError when the fintech's key file cannot be trusted
 */
export async function registerDemoFintech(
  options: RegisterDemoFintechOptions,
): Promise<DemoFintech> {
  const now = options.now ?? (() => new Date())
  // Key files are named by owner; a bank with the client's id would overwrite the fintech's key.
  if (options.banks.some(({ bank }) => bank.id === DEMO_FINTECH_CLIENT_ID)) {
    throw new LaunchError(`a bank may not be named ${DEMO_FINTECH_CLIENT_ID}: the demo client is`)
  }
  const fintech: DemoFintech = {
    clientId: DEMO_FINTECH_CLIENT_ID,
    key: await openDemoFintechKey(options.keysDir, now),
    redirectUris: demoFintechRedirectUris(options.origins),
    certificateSubjectDn: readCertificateIdentity(options.certificatePem).subjectDn,
  }
  const seconds = Math.floor(now().getTime() / 1000)
  for (const { bank, db } of options.banks) {
    await bankRepositories(db).clients.upsert({
      clientId: fintech.clientId,
      metadata: demoFintechMetadata(bank, fintech),
      automaticConsent: undefined,
      createdAt: seconds,
      updatedAt: seconds,
    })
  }
  return fintech
}
