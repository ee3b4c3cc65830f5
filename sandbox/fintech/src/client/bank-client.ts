/**
 * The fintech's connection to one bank as a FAPI 2.0 client: discovery (RFC 8414, OIDC Discovery
 * section 4), client authentication (`private_key_jwt`, RFC 7523, or `tls_client_auth`,
 * RFC 8705 section 2), sender-constrained calls (DPoP, RFC 9449, with the server's nonces; or the
 * client certificate at the `mtls_endpoint_aliases`, RFC 8705 section 5) and the requests built on
 * them. One DPoP key per bank (FAPI 2.0 SP 6.3, CL-19).
 */
import { randomUUID } from 'node:crypto'
import {
  createClientAssertion,
  JWT_BEARER_CLIENT_ASSERTION_TYPE,
} from '@sandbox/fapi/client-assertion'
import { createDpopProof } from '@sandbox/fapi/dpop/proof'
import { echo } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { ClientJwks } from '@sandbox/fapi/jwks'
import {
  type AuthorizationServerMetadataOpen,
  AuthorizationServerMetadataOpenSchema,
  type MtlsEndpointAliases,
} from '@sandbox/spec-types/oauth/as-metadata'
import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose'
import { Compile } from 'typebox/compile'
import type { ProviderConfig } from '../config.js'
import { currentInteractionId } from '../interaction.js'
import { fintechRules } from '../rules.js'
import {
  createHttpsTransport,
  type HttpsResponse,
  type HttpsTransport,
  jsonObject,
} from './https.js'

/** The back-channel endpoints the fintech calls with client authentication. */
export type BackChannel =
  | 'pushed_authorization_request_endpoint'
  | 'token_endpoint'
  | 'revocation_endpoint'
  | 'introspection_endpoint'

/** The metadata a FAPI 2.0 authorization-code client needs (CL-01, FAPI 2.0 SP 5.3.3.1-9). */
export type BankMetadata = AuthorizationServerMetadataOpen & {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  pushed_authorization_request_endpoint: string
  jwks_uri: string
  mtls_endpoint_aliases?: MtlsEndpointAliases
}

const metadataShape = Compile(AuthorizationServerMetadataOpenSchema)
const REQUIRED_ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'pushed_authorization_request_endpoint',
  'jwks_uri',
] as const

/** Sandbox policy: metadata and keys are read again after five minutes (key rotation). */
export const METADATA_TTL_MS = 5 * 60_000

/** Seconds since the epoch. */
export type Clock = () => number

export interface BankClientDeps {
  /** Replaces the HTTPS transport (tests). */
  transport?: HttpsTransport | undefined
  now?: Clock | undefined
}

interface DpopKey {
  privateKey: CryptoKey
  publicJwk: JWK
}

export class BankClient {
  readonly provider: ProviderConfig
  private readonly transport: HttpsTransport & { close?(): void }
  private readonly now: Clock
  private discovered: { metadata: BankMetadata; jwks: ClientJwks; at: number } | undefined
  private discovering: Promise<{ metadata: BankMetadata; jwks: ClientJwks }> | undefined
  private readonly dpopKey: Promise<DpopKey>
  /** The last `DPoP-Nonce` each server (AS, RS) handed out, by origin (RFC 9449 section 8). */
  private readonly nonces = new Map<string, string>()

  constructor(provider: ProviderConfig, ca: string | undefined, deps: BankClientDeps = {}) {
    this.provider = provider
    this.transport =
      deps.transport ?? createHttpsTransport({ ca, certificate: provider.certificate })
    this.now = deps.now ?? (() => Math.floor(Date.now() / 1000))
    this.dpopKey = createDpopKey()
    // Created now, used later: an unhandled rejection must not wait for first use.
    this.dpopKey.catch(() => undefined)
  }

  close(): void {
    this.transport.close?.()
  }

  /**
   * The bank's metadata and JWKS, read over TLS from the configured issuer (CL-01): the document's
   * `issuer` must be exactly the configured one, and it must name the endpoints used here.
   * @throws OAuthError CL-01
   * @throws BankUnavailableError
   * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
   */
  async metadata(): Promise<{ metadata: BankMetadata; jwks: ClientJwks }> {
    const cached = this.discovered
    if (cached !== undefined && Date.now() - cached.at < METADATA_TTL_MS) return cached
    this.discovering ??= this.discover().finally(() => {
      this.discovering = undefined
    })
    return this.discovering
  }

  private async discover(): Promise<{ metadata: BankMetadata; jwks: ClientJwks }> {
    const { issuer } = this.provider
    const res = await this.transport(`${issuer}/.well-known/openid-configuration`, {
      headers: { accept: 'application/json' },
    })
    const document = jsonObject(res)
    if (res.status !== 200 || document === undefined || !metadataShape.Check(document)) {
      throw new OAuthError(
        fintechRules.metadataMembers,
        `the discovery document answered ${res.status}`,
      )
    }
    if (document.issuer !== issuer) {
      throw new OAuthError(
        fintechRules.metadataIssuer,
        `expected ${echo(issuer)}, got ${echo(document.issuer)}`,
      )
    }
    const missing = REQUIRED_ENDPOINTS.filter((name) => typeof document[name] !== 'string')
    if (missing.length > 0) {
      throw new OAuthError(fintechRules.metadataMembers, `missing ${missing.join(', ')}`)
    }
    const metadata = document as BankMetadata
    const keys = await this.transport(metadata.jwks_uri, {
      headers: { accept: 'application/json' },
    })
    const jwks = jsonObject(keys)
    if (keys.status !== 200 || !Array.isArray(jwks?.keys)) {
      throw new OAuthError(fintechRules.metadataMembers, `jwks_uri answered ${keys.status}`)
    }
    this.discovered = { metadata, jwks: jwks as unknown as ClientJwks, at: Date.now() }
    return this.discovered
  }

  /** Does this client present its certificate to the bank (RFC 8705)? */
  private usesMutualTls(): boolean {
    return (
      this.provider.clientAuth.method === 'tls_client_auth' ||
      this.provider.senderConstraint === 'mtls'
    )
  }

  /** RFC 8705 section 5: a client that uses mutual TLS calls the aliases where the bank has them (CL-14). */
  async endpoint(name: BackChannel | 'userinfo_endpoint'): Promise<string> {
    const { metadata } = await this.metadata()
    const alias = this.usesMutualTls() ? metadata.mtls_endpoint_aliases?.[name] : undefined
    const url = alias ?? metadata[name]
    if (typeof url !== 'string') {
      throw new OAuthError(fintechRules.metadataMembers, `the bank publishes no ${name}`)
    }
    return url
  }

  /** Client authentication fields for one request: a fresh assertion each time (CL-06: jti is single-use). */
  private async authentication(): Promise<Record<string, string>> {
    const { clientAuth, clientId, issuer } = this.provider
    if (clientAuth.method === 'tls_client_auth') return { client_id: clientId }
    return {
      client_id: clientId,
      client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
      // aud is the issuer as one string, 60 s of life (FAPI 2.0 SP 5.3.3.1-5, CL-06).
      client_assertion: await createClientAssertion({
        clientId,
        issuer,
        key: clientAuth.key,
        alg: clientAuth.alg,
        kid: clientAuth.kid,
        now: this.now(),
        jti: randomUUID(),
      }),
    }
  }

  /** A DPoP proof for `method url` with the server's last nonce and, at a resource, `ath`. */
  private async dpopProof(method: string, url: string, accessToken?: string): Promise<string> {
    const key = await this.dpopKey
    const nonce = this.nonces.get(new URL(url).origin)
    return createDpopProof({
      key: key.privateKey,
      jwk: key.publicJwk,
      alg: 'ES256',
      htm: method,
      htu: url.split(/[?#]/, 1)[0] ?? url,
      now: this.now(),
      jti: randomUUID(),
      ...(accessToken === undefined ? {} : { accessToken }),
      ...(nonce === undefined ? {} : { nonce }),
    })
  }

  /**
   * Sends what `attempt` builds, and once more with a fresh proof when the server asks for a DPoP
   * nonce: 400 `use_dpop_nonce` at the AS, a 401 challenge whose scheme is read case-insensitively
   * at the RS (RFC 9449 sections 8 and 9; CL-08, CL-09). Every nonce handed out is kept.
   */
  private async withNonce(url: string, attempt: () => Promise<HttpsResponse>) {
    const origin = new URL(url).origin
    const remember = (res: HttpsResponse) => {
      const nonce = res.headers['dpop-nonce']
      if (nonce !== undefined) this.nonces.set(origin, nonce)
      return nonce
    }
    const res = await attempt()
    const nonce = remember(res)
    const challenged =
      res.status === 400
        ? jsonObject(res)?.error === 'use_dpop_nonce'
        : res.status === 401 &&
          /^dpop\b.*error="use_dpop_nonce"/i.test(res.headers['www-authenticate'] ?? '')
    if (!challenged || nonce === undefined) return res
    const retried = await attempt()
    remember(retried)
    return retried
  }

  /**
   * A form POST to a back-channel endpoint with client authentication and, at PAR and token, a
   * DPoP proof when the bank binds tokens with DPoP. `interactionId` goes out as
   * `x-fapi-interaction-id`, so the bank's trace events join the flow that sent them.
   */
  async post(
    name: BackChannel,
    fields: Record<string, string>,
    interactionId?: string,
  ): Promise<HttpsResponse> {
    const url = await this.endpoint(name)
    const proves =
      this.provider.senderConstraint === 'dpop' &&
      (name === 'token_endpoint' || name === 'pushed_authorization_request_endpoint')
    return this.withNonce(url, async () =>
      this.transport(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...interactionHeader(interactionId),
          ...(proves ? { dpop: await this.dpopProof('POST', url) } : {}),
        },
        body: new URLSearchParams({ ...fields, ...(await this.authentication()) }).toString(),
      }),
    )
  }

  /**
   * Calls a protected resource with the access token in the Authorization header only (CL-10), in
   * the scheme of its binding: DPoP with a fresh proof carrying `ath`, or Bearer over this client's
   * mutual-TLS connection (CL-07).
   */
  async resource(
    method: 'GET' | 'POST',
    url: string,
    accessToken: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpsResponse> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body)
    const dpop = this.provider.senderConstraint === 'dpop'
    return this.withNonce(url, async () =>
      this.transport(url, {
        method,
        headers: {
          accept: 'application/json',
          ...interactionHeader(),
          ...options.headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(dpop
            ? {
                authorization: `DPoP ${accessToken}`,
                dpop: await this.dpopProof(method, url, accessToken),
              }
            : { authorization: `Bearer ${accessToken}` }),
        },
        ...(body === undefined ? {} : { body }),
      }),
    )
  }
}

/** `x-fapi-interaction-id`: the flow's own, or the one of the browser action being answered. */
function interactionHeader(interactionId = currentInteractionId()): Record<string, string> {
  return interactionId === undefined ? {} : { 'x-fapi-interaction-id': interactionId }
}

async function createDpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  return { privateKey, publicJwk: await exportJWK(publicKey) }
}
