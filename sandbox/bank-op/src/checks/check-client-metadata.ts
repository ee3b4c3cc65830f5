/**
 * Client metadata a bank accepts at registration and update (RFC 7591 section 2; RFC 7592
 * section 2.2), beyond what the schema checks: FAPI 2.0 SP 5.3.2.1, 5.3.2.2 and 5.4 and the bank's
 * own profile. Returns the metadata with the bank's defaults filled in (RFC 7591 section 3.2.1).
 */
import { type FapiSigningAlg, isFapiSigningAlg, keyProblem } from '@sandbox/fapi/algorithms'
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { COMPACT_JWS_PATTERN } from '@sandbox/spec-types/oauth/client-authentication'
import type { PublicJwk } from '@sandbox/spec-types/oauth/jwks'
import type {
  AutomaticConsentDecision,
  ClientMetadata,
  RegistrationRequest,
} from '@sandbox/spec-types/oauth/registration'
import { importJWK, type JWK } from 'jose'
import type { BankContext } from '../bank-context.js'
import { BANK_SIGNING_ALGS } from '../keys/key-ring.js'
import { registrationRules } from '../rules/registration.js'

export interface AcceptedMetadata {
  /** What is registered and answered, without the sandbox extension. */
  metadata: ClientMetadata
  automaticConsent?: AutomaticConsentDecision | undefined
}

/** The algorithm a key of this type serves under FAPI 2.0 SP 5.4.1-1. */
const ALG_FOR_KEY_TYPE: Readonly<Record<PublicJwk['kty'], FapiSigningAlg>> = {
  RSA: 'PS256',
  EC: 'ES256',
  OKP: 'EdDSA',
}

/** Members naming something the bank signs: they must be algorithms it holds keys for. */
const BANK_SIGNED_ALGS = [
  'id_token_signed_response_alg',
  'authorization_signed_response_alg',
  'introspection_signed_response_alg',
] as const

const TLS_CLIENT_AUTH_SUBJECTS = [
  'tls_client_auth_subject_dn',
  'tls_client_auth_san_dns',
  'tls_client_auth_san_uri',
  'tls_client_auth_san_ip',
  'tls_client_auth_san_email',
] as const

function checkSoftwareStatement(statement: string | undefined): void {
  if (statement === undefined) return
  if (!new RegExp(COMPACT_JWS_PATTERN).test(statement)) {
    throw new OAuthError(registrationRules.softwareStatementMalformed, 'it is not a compact JWS')
  }
  throw new OAuthError(registrationRules.softwareStatementUnapproved)
}

function checkRedirectUris(uris: readonly string[]): void {
  for (const uri of uris) {
    if (uri.includes('*')) {
      throw new OAuthError(registrationRules.redirectUriWildcard, `got ${echo(uri)}`)
    }
    let url: URL
    try {
      url = new URL(uri)
    } catch {
      throw new OAuthError(registrationRules.redirectUriForm, `got ${echo(uri)}`)
    }
    if (url.username !== '' || url.password !== '') {
      throw new OAuthError(registrationRules.redirectUriUserinfo, `got ${echo(url.host)}`)
    }
  }
}

/** RFC 7591 section 2.1: `code` goes with `authorization_code`; refresh tokens come from a code. */
function grantsAndResponseTypes(metadata: RegistrationRequest) {
  const grantTypes = metadata.grant_types ?? ['authorization_code']
  const codeFlow = grantTypes.includes('authorization_code')
  if (!codeFlow && metadata.response_types !== undefined) {
    throw new OAuthError(
      registrationRules.grantTypes,
      'response type code needs the authorization_code grant',
    )
  }
  if (!codeFlow && grantTypes.includes('refresh_token')) {
    throw new OAuthError(
      registrationRules.grantTypes,
      'refresh_token was asked without authorization_code',
    )
  }
  if (codeFlow && metadata.redirect_uris === undefined) {
    throw new OAuthError(registrationRules.redirectUrisRequired)
  }
  return {
    grant_types: grantTypes,
    ...(codeFlow ? { response_types: metadata.response_types ?? ['code'] } : {}),
  }
}

async function checkPublicKey(jwk: PublicJwk, index: number): Promise<void> {
  const name = jwk.kid === undefined ? `key ${index}` : `key ${echo(jwk.kid)}`
  if (jwk.alg !== undefined && !isFapiSigningAlg(jwk.alg)) {
    throw new OAuthError(registrationRules.signingAlg, `${name} declares alg ${echo(jwk.alg)}`)
  }
  const alg = (jwk.alg as FapiSigningAlg | undefined) ?? ALG_FOR_KEY_TYPE[jwk.kty]
  const problem = keyProblem(jwk as JWK, alg)
  if (problem !== undefined) {
    throw new OAuthError(registrationRules.clientKeyStrength, `${name}: ${problem}`)
  }
  try {
    await importJWK(jwk as JWK, alg)
  } catch {
    throw new OAuthError(registrationRules.clientKeys, `${name} is not a valid ${jwk.kty} key`)
  }
}

/** RFC 7517 section 4.5: one kid names one key, except across key types (SP 5.4.3, AS-ALG-05). */
function checkKeyIds(keys: readonly PublicJwk[]): void {
  const seen = new Set<string>()
  for (const { kid, kty } of keys) {
    if (kid === undefined) continue
    const id = `${kty} ${kid}`
    if (seen.has(id)) {
      throw new OAuthError(registrationRules.keyIds, `${kty} kid ${echo(kid)} appears twice`)
    }
    seen.add(id)
  }
}

async function checkClientKeys(metadata: RegistrationRequest, bank: BankContext): Promise<void> {
  if (
    bank.bank.profile.clientAuth === 'private_key_jwt' &&
    metadata.jwks === undefined &&
    metadata.jwks_uri === undefined
  ) {
    throw new OAuthError(registrationRules.jwksForMethod, 'neither was sent')
  }
  if (metadata.jwks === undefined) return
  const { keys } = metadata.jwks
  for (const [index, jwk] of keys.entries()) await checkPublicKey(jwk, index)
  checkKeyIds(keys)
}

/** RFC 8705 section 2.1.2: exactly one subject names the client's certificate. */
function checkTlsClientAuthSubject(metadata: RegistrationRequest): void {
  const named = TLS_CLIENT_AUTH_SUBJECTS.filter((member) => metadata[member] !== undefined)
  if (named.length !== 1) {
    throw new OAuthError(
      registrationRules.tlsClientAuthSubject,
      named.length === 0 ? 'none was sent' : `got ${named.join(', ')}`,
    )
  }
}

/** SP 5.3.2.1-4 (DCR-09): the binding is the bank's, stated in the client information. */
function senderConstraint(metadata: RegistrationRequest, bank: BankContext) {
  const dpop = bank.bank.profile.senderConstraint === 'dpop'
  const { dpop_bound_access_tokens: dpopBound, tls_client_certificate_bound_access_tokens: mtls } =
    metadata
  if (dpop ? dpopBound === false || mtls === true : mtls === false || dpopBound === true) {
    throw new OAuthError(
      registrationRules.senderConstraint,
      `this bank binds tokens with ${dpop ? 'DPoP' : 'mutual TLS'}`,
    )
  }
  return dpop
    ? { dpop_bound_access_tokens: true }
    : { tls_client_certificate_bound_access_tokens: true }
}

/** RFC 9126 section 6, FAPI 2.0 MS 5.3.3 (DCR-10): what the bank demands of every client. */
function messageSigning(metadata: RegistrationRequest, bank: BankContext) {
  const { profile } = bank.bank
  if (metadata.require_pushed_authorization_requests === false) {
    throw new OAuthError(registrationRules.messageSigning, 'every request goes through PAR here')
  }
  if (profile.requireSignedRequestObject && metadata.require_signed_request_object === false) {
    throw new OAuthError(registrationRules.messageSigning, 'this bank requires request objects')
  }
  const jarm = profile.authorizationResponseMode === 'jwt'
  if (jarm && metadata.response_modes?.includes('query')) {
    throw new OAuthError(registrationRules.messageSigning, 'this bank answers with JARM only')
  }
  return {
    require_pushed_authorization_requests: true,
    ...(profile.requireSignedRequestObject ? { require_signed_request_object: true } : {}),
    ...(jarm && metadata.response_modes === undefined ? { response_modes: ['jwt' as const] } : {}),
  }
}

function checkBankSignedAlgs(metadata: RegistrationRequest): void {
  const signs: readonly string[] = BANK_SIGNING_ALGS
  for (const member of BANK_SIGNED_ALGS) {
    const alg = metadata[member]
    if (alg !== undefined && !signs.includes(alg)) {
      throw new OAuthError(
        registrationRules.bankSigningAlg,
        `${member} ${echo(alg)}, the bank signs with ${signs.join(' or ')}`,
      )
    }
  }
}

/**
 * Checks registration metadata against FAPI 2.0 and the bank's profile and fills the defaults.
 * @throws OAuthError DCR-02..07, DCR-09, DCR-10, AS-CA-12, AS-CA-13 (see rules/registration.ts)
 * @see https://www.rfc-editor.org/rfc/rfc7591.html#section-2
 */
export async function checkClientMetadata(
  request: RegistrationRequest,
  bank: BankContext,
): Promise<AcceptedMetadata> {
  const { sandbox_automatic_consent: automaticConsent, ...metadata } = request
  checkSoftwareStatement(metadata.software_statement)
  const required = bank.bank.profile.clientAuth
  if (metadata.token_endpoint_auth_method !== required) {
    throw new OAuthError(
      registrationRules.authMethod,
      `got ${metadata.token_endpoint_auth_method}, this bank requires ${required}`,
    )
  }
  if (metadata.redirect_uris !== undefined) checkRedirectUris(metadata.redirect_uris)
  const grants = grantsAndResponseTypes(metadata)
  await checkClientKeys(metadata, bank)
  if (required === 'tls_client_auth') checkTlsClientAuthSubject(metadata)
  checkBankSignedAlgs(metadata)
  return {
    metadata: {
      ...metadata,
      ...grants,
      ...senderConstraint(metadata, bank),
      ...messageSigning(metadata, bank),
    },
    automaticConsent,
  }
}
