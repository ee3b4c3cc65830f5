/**
 * The demo fintech pointed at any FAPI 2.0 provider: a JSON file names the issuer, the client id,
 * the key or certificate, and where the account and payment APIs are. Validated once at start,
 * with the bad field named (STYLE rule 10); keys and certificates are read from the files it names.
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { FAPI_SIGNING_ALGS, type FapiSigningAlg } from '@sandbox/fapi/algorithms'
import { BankBrandSchema } from '@sandbox/spec-types/banking/bank'
import { CURRENCY_CODES, type CurrencyCode } from '@sandbox/spec-types/banking/currency'
import { embed, HttpsUrl, StringEnum } from '@sandbox/spec-types/json-schema'
import { type CryptoKey, importJWK, type JWK } from 'jose'
import Type, { type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { describeProfile, type FintechConfig, type ProviderConfig } from './config.js'

const PemFiles = Type.Object(
  { cert: Type.String({ minLength: 1 }), key: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
)

const ProviderFileSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 40 }),
    name: Type.String({ minLength: 1, maxLength: 70 }),
    issuer: HttpsUrl(),
    clientId: Type.String({ minLength: 1 }),
    clientAuth: StringEnum(['private_key_jwt', 'tls_client_auth'] as const),
    /** A private JWK (with `alg` one of PS256, ES256, EdDSA, and `kid`), for private_key_jwt. */
    privateJwk: Type.Optional(Type.String({ minLength: 1 })),
    /** The client certificate for mutual TLS (tls_client_auth or certificate-bound tokens). */
    certificate: Type.Optional(PemFiles),
    senderConstraint: StringEnum(['dpop', 'mtls'] as const),
    responseMode: Type.Optional(StringEnum(['query', 'jwt'] as const)),
    signedRequestObject: Type.Optional(Type.Boolean()),
    apiBaseUrl: HttpsUrl(),
    currency: StringEnum(CURRENCY_CODES as readonly CurrencyCode[]),
    brand: Type.Optional(embed(BankBrandSchema)),
  },
  { additionalProperties: false },
)

export const FintechFileConfigSchema = Type.Object(
  {
    /** Where the fintech is reached; `${publicUrl}/callback` must be registered at every provider. */
    publicUrl: HttpsUrl(),
    host: Type.Optional(Type.String({ minLength: 1 })),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    /** The fintech's own HTTPS certificate. */
    tls: PemFiles,
    /** Extra CA bundle to trust for the providers (the system's CAs otherwise). */
    ca: Type.Optional(Type.String({ minLength: 1 })),
    providers: Type.Array(ProviderFileSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
)
export type FintechFileConfig = Static<typeof FintechFileConfigSchema>

const validate = Compile(FintechFileConfigSchema)

export class FintechConfigError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`)
    this.name = 'FintechConfigError'
  }
}

const DEFAULT_BRAND = { primaryColour: '#334155', accentColour: '#94a3b8' }

async function signingKey(
  file: string,
  jwkPath: string,
): Promise<{ key: CryptoKey; kid: string; alg: FapiSigningAlg }> {
  const jwk = JSON.parse(await readFile(jwkPath, 'utf8')) as JWK
  const alg = jwk.alg as FapiSigningAlg | undefined
  if (alg === undefined || !FAPI_SIGNING_ALGS.includes(alg)) {
    throw new FintechConfigError(
      file,
      `${jwkPath}: alg must be one of ${FAPI_SIGNING_ALGS.join(', ')}`,
    )
  }
  if (typeof jwk.kid !== 'string' || jwk.d === undefined) {
    throw new FintechConfigError(file, `${jwkPath}: a private JWK with a kid is needed`)
  }
  const key = await importJWK(jwk, alg)
  if (key instanceof Uint8Array)
    throw new FintechConfigError(file, `${jwkPath}: not an asymmetric key`)
  return { key, kid: jwk.kid, alg }
}

/**
 * Reads and validates a fintech configuration file; paths in it are relative to the file.
 * @throws FintechConfigError naming the field or file at fault
 */
export async function loadFintechConfigFile(
  file: string,
): Promise<{ config: FintechConfig; host: string; port: number }> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new FintechConfigError(file, `cannot read it as JSON (${(error as Error).message})`)
  }
  if (!validate.Check(parsed)) {
    const [first] = validate.Errors(parsed)
    throw new FintechConfigError(
      file,
      `${first?.instancePath || '/'} ${first?.message ?? 'is not valid'}`,
    )
  }
  const at = (path: string) => resolve(dirname(file), path)
  const read = (path: string) => readFile(at(path), 'utf8')
  const providers: ProviderConfig[] = []
  for (const entry of parsed.providers) {
    let clientAuth: ProviderConfig['clientAuth']
    if (entry.clientAuth === 'private_key_jwt') {
      if (entry.privateJwk === undefined) {
        throw new FintechConfigError(file, `${entry.id}: private_key_jwt needs privateJwk`)
      }
      clientAuth = { method: 'private_key_jwt', ...(await signingKey(file, at(entry.privateJwk))) }
    } else clientAuth = { method: 'tls_client_auth' }
    const needsCertificate =
      entry.clientAuth === 'tls_client_auth' || entry.senderConstraint === 'mtls'
    if (needsCertificate && entry.certificate === undefined) {
      throw new FintechConfigError(file, `${entry.id}: mutual TLS needs certificate`)
    }
    const provider = {
      id: entry.id,
      name: entry.name,
      brand: entry.brand ?? DEFAULT_BRAND,
      issuer: entry.issuer,
      clientId: entry.clientId,
      clientAuth,
      senderConstraint: entry.senderConstraint,
      certificate:
        entry.certificate === undefined
          ? undefined
          : {
              certPem: await read(entry.certificate.cert),
              keyPem: await read(entry.certificate.key),
            },
      responseMode: entry.responseMode ?? 'query',
      signedRequestObject: entry.signedRequestObject ?? false,
      apiBaseUrl: entry.apiBaseUrl.replace(/\/$/, ''),
      currency: entry.currency,
    }
    providers.push({ ...provider, profileSummary: describeProfile(provider) })
  }
  const publicUrl = parsed.publicUrl.replace(/\/$/, '')
  return {
    config: {
      providers,
      redirectUris: [`${publicUrl}/callback`],
      ca: parsed.ca === undefined ? undefined : await read(parsed.ca),
      tls: { cert: await read(parsed.tls.cert), key: await read(parsed.tls.key) },
    },
    host: parsed.host ?? 'localhost',
    port: parsed.port,
  }
}
