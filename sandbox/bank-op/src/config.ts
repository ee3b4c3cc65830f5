/**
 * bank-op's configuration, validated once at build (STYLE house rule 10): the public URLs that
 * issuers and endpoints are made from (RFC 8414 section 2; FAPI 2.0 SP 5.2.1-1: https only) and
 * where each bank's signing keys are kept.
 */
import { X509Certificate } from 'node:crypto'
import type { ServiceTls } from '@sandbox/service-kit/server'
import type { BankTenant } from '@sandbox/service-kit/tenant'

export interface BankOpConfig {
  /** The banks this server hosts; each keeps its own database and keys. */
  tenants: readonly BankTenant[]
  /**
   * Where clients reach this server, e.g. `https://localhost:4001`; a bank's issuer is
   * `${publicBaseUrl}/${bank.id}`. https, no path, query, fragment or trailing slash.
   */
  publicBaseUrl: string
  /**
   * The mutual-TLS listener's base URL (RFC 8705 section 5). When set, banks whose profile uses
   * mTLS publish `mtls_endpoint_aliases` under it; when absent they publish none.
   */
  mtlsBaseUrl?: string | undefined
  /**
   * Where the banks' resource servers (bank-api) are reached, e.g. `https://localhost:4003`; a
   * bank's access tokens name `${resourceBaseUrl}/${bank.id}` as their audience (RFC 9068 section 2.2,
   * RFC 8707), so no other server accepts them.
   */
  resourceBaseUrl: string
  /** Folder of the banks' private key files (`<keysDir>/<bank-id>.json`), e.g. `.data/keys`. */
  keysDir: string
  /** How long a retired signing key stays in the JWKS (default one day). */
  retiredKeyGraceSeconds?: number | undefined
  /** Absent in `inject` tests; the launcher passes the sandbox server certificate. */
  tls?: ServiceTls | undefined
  /**
   * PEM bundle of the CAs whose client certificates the mutual-TLS listener verifies (RFC 8705
   * section 2.1, the PKI method); the launcher passes the sandbox CA. Required with `tls` and
   * `mtlsBaseUrl`: that listener serves the same certificate as `tls` and asks every client for
   * one of its own.
   */
  clientCa?: string | undefined
}

/** A configuration bank-op cannot start with; the message names the field and the rule. */
export class BankOpConfigError extends Error {
  constructor(field: string, problem: string) {
    super(`bank-op config: ${field} ${problem}`)
    this.name = 'BankOpConfigError'
  }
}

/** Checks a base URL is an https origin, so that `${base}/${bank.id}` is a valid issuer. */
function checkBaseUrl(field: string, value: string): void {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new BankOpConfigError(field, `must be an absolute URL, got ${JSON.stringify(value)}`)
  }
  // FAPI 2.0 SP 5.2.1-1 (TLS everywhere) and RFC 8414 section 2 (issuer: https, no query/fragment).
  if (url.protocol !== 'https:')
    throw new BankOpConfigError(field, `must use https (FAPI 2.0 SP 5.2.1-1), got ${value}`)
  // Byte-exact issuers (RFC 8414 section 3.3) need one spelling: the origin, nothing after it.
  if (value !== url.origin)
    throw new BankOpConfigError(
      field,
      `must be an origin without path, query, fragment or trailing slash, e.g. ${url.origin}; got ${value}`,
    )
}

/** The mutual-TLS listener needs a CA to verify client certificates against when it speaks TLS. */
function checkClientCa(config: BankOpConfig): void {
  const { clientCa } = config
  if (clientCa === undefined) {
    if (config.tls !== undefined && config.mtlsBaseUrl !== undefined)
      throw new BankOpConfigError(
        'clientCa',
        'is required with tls and mtlsBaseUrl: the mutual-TLS listener verifies client certificates against it (RFC 8705 section 2.1)',
      )
    return
  }
  try {
    new X509Certificate(clientCa)
  } catch {
    throw new BankOpConfigError('clientCa', 'must be a PEM certificate bundle')
  }
}

/**
 * Validates the configuration once, before anything is built.
 * @throws BankOpConfigError naming the first bad field
 */
export function validateBankOpConfig(config: BankOpConfig): BankOpConfig {
  checkBaseUrl('publicBaseUrl', config.publicBaseUrl)
  if (config.mtlsBaseUrl !== undefined) {
    checkBaseUrl('mtlsBaseUrl', config.mtlsBaseUrl)
    if (config.mtlsBaseUrl === config.publicBaseUrl)
      throw new BankOpConfigError(
        'mtlsBaseUrl',
        'must differ from publicBaseUrl (RFC 8705 section 5)',
      )
  }
  checkClientCa(config)
  checkBaseUrl('resourceBaseUrl', config.resourceBaseUrl)
  if (config.keysDir.trim() === '') throw new BankOpConfigError('keysDir', 'must name a folder')
  const grace = config.retiredKeyGraceSeconds
  if (grace !== undefined && !(Number.isInteger(grace) && grace >= 0))
    throw new BankOpConfigError(
      'retiredKeyGraceSeconds',
      `must be a whole number >= 0, got ${grace}`,
    )
  const ids = new Set<string>()
  for (const { bank } of config.tenants) {
    if (ids.has(bank.id)) throw new BankOpConfigError('tenants', `lists bank ${bank.id} twice`)
    ids.add(bank.id)
  }
  return config
}
