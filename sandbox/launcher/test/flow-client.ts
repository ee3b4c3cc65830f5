/**
 * A third-party client as the flow tests drive it over real TLS: it reads the bank's discovery
 * document (RFC 8414) and JWKS, registers itself (RFC 7591) and then does what its registration
 * response says: `private_key_jwt` or `tls_client_auth` (RFC 7523, RFC 8705 section 2), DPoP with
 * the server's nonces or certificate-bound tokens at the `mtls_endpoint_aliases` (RFC 9449,
 * RFC 8705 sections 3 and 5), request objects (RFC 9101) and JARM when message signing is on.
 */
import { randomUUID, X509Certificate } from 'node:crypto'
import {
  createClientAssertion,
  JWT_BEARER_CLIENT_ASSERTION_TYPE,
} from '@sandbox/fapi/client-assertion'
import { createDpopProof } from '@sandbox/fapi/dpop/proof'
import { calculateJwkThumbprint } from '@sandbox/fapi/dpop/thumbprint'
import { type JarmParameters, verifyJarmResponse } from '@sandbox/fapi/jarm'
import { calculateCertificateThumbprint } from '@sandbox/fapi/mtls'
import { calculatePkceChallenge } from '@sandbox/fapi/pkce'
import { createRequestObject } from '@sandbox/fapi/request-object'
import { readCertificateIdentity } from '@sandbox/pki/certificate-identity'
import type {
  AuthorizationServerMetadata,
  MtlsEndpointAliases,
} from '@sandbox/spec-types/oauth/as-metadata'
import type { ClientInformation } from '@sandbox/spec-types/oauth/registration'
import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose'
import { expect } from 'vitest'
import {
  type HttpsResponse,
  headerOf,
  postForm,
  send,
  type TlsClientOptions,
} from './https-client.js'

/** Seconds since the epoch: the client's clock (the bank's is the same machine's). */
export const nowSeconds = () => Math.floor(Date.now() / 1000)

/** What a client learns about a bank before it calls it: metadata and published keys. */
export interface BankView {
  issuer: string
  metadata: AuthorizationServerMetadata & { mtls_endpoint_aliases?: MtlsEndpointAliases }
  jwks: { keys: JWK[] }
}

/** Reads a bank's discovery document and JWKS over TLS, trusting only `ca`. */
export async function discoverBank(issuer: string, ca: string): Promise<BankView> {
  const discovery = await send(`${issuer}/.well-known/oauth-authorization-server`, {}, { ca })
  expect(discovery.status, discovery.body).toBe(200)
  const metadata = discovery.json() as BankView['metadata']
  // RFC 8414 section 3.3: the issuer in the document is the one the client asked for.
  expect(metadata.issuer).toBe(issuer)
  const jwks = await send(metadata.jwks_uri, {}, { ca })
  expect(jwks.status).toBe(200)
  return { issuer, metadata, jwks: jwks.json() as BankView['jwks'] }
}

interface KeyPair {
  privateKey: CryptoKey
  publicJwk: JWK
}

async function es256(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  return { privateKey, publicJwk: { ...publicJwk, kid: await calculateJwkThumbprint(publicJwk) } }
}

type BackChannel = Exclude<keyof MtlsEndpointAliases, 'grant_management_endpoint'>

/** An authorization request in flight: what the client keeps until the callback. */
export interface PendingAuthorization {
  requestUri: string
  state: string
  nonce: string
  codeVerifier: string
  redirectUri: string
}

export interface FlowClientOptions {
  bank: BankView
  ca: string
  /** The client certificate (mutual TLS) it presents at the aliases and registers the subject of. */
  certificate?: { certPem: string; keyPem: string } | undefined
}

export class FlowClient {
  readonly bank: BankView
  readonly tls: TlsClientOptions
  readonly redirectUri = 'https://flows.sandbox.test/callback'
  /** Signs client assertions and request objects. */
  readonly signingKey: Promise<KeyPair> = es256()
  /** Proves possession of DPoP-bound tokens (RFC 9449 section 4). */
  readonly dpopKey: Promise<KeyPair> = es256()
  registration: ClientInformation | undefined
  /** The last `DPoP-Nonce` the bank handed out (RFC 9449 section 8). */
  dpopNonce: string | undefined
  /** How often the bank answered `use_dpop_nonce` and the client retried. */
  nonceChallenges = 0

  constructor(options: FlowClientOptions) {
    this.bank = options.bank
    this.tls = {
      ca: options.ca,
      cert: options.certificate?.certPem,
      key: options.certificate?.keyPem,
    }
  }

  /** The same registered client on a connection that presents no certificate. */
  withoutCertificate(): FlowClient {
    const copy = new FlowClient({ bank: this.bank, ca: this.tls.ca })
    copy.registration = this.registration
    return copy
  }

  get clientId(): string {
    if (this.registration === undefined) throw new Error('register the client first')
    return this.registration.client_id
  }

  /** `jkt` of the DPoP key: the `cnf` its tokens must carry. */
  async dpopThumbprint(): Promise<string> {
    return calculateJwkThumbprint((await this.dpopKey).publicJwk)
  }

  /** `x5t#S256` of the client certificate (RFC 8705 section 3.1). */
  async certificateThumbprint(): Promise<string> {
    if (this.tls.cert === undefined) throw new Error('this client has no certificate')
    return calculateCertificateThumbprint(new Uint8Array(new X509Certificate(this.tls.cert).raw))
  }

  private usesDpop(): boolean {
    return this.registration?.dpop_bound_access_tokens === true
  }

  /** RFC 8705 section 5: a client that uses mutual TLS calls the aliases where the bank has them. */
  endpoint(name: BackChannel): string {
    const { registration } = this
    const mtls =
      registration?.token_endpoint_auth_method === 'tls_client_auth' ||
      registration?.tls_client_certificate_bound_access_tokens === true
    const alias = mtls ? this.bank.metadata.mtls_endpoint_aliases?.[name] : undefined
    const url = alias ?? this.bank.metadata[name]
    if (url === undefined) throw new Error(`the bank publishes no ${name}`)
    return url
  }

  /**
   * Registers at the bank's registration endpoint (RFC 7591 section 3.1) with the bank's client
   * authentication method, tokens bound the bank's way, and `extra` metadata.
   */
  async register(extra: Record<string, unknown> = {}): Promise<HttpsResponse> {
    const method = this.bank.metadata.token_endpoint_auth_methods_supported?.[0]
    const body = {
      client_name: 'Flow Test Client',
      redirect_uris: [this.redirectUri],
      token_endpoint_auth_method: method,
      grant_types: ['authorization_code', 'refresh_token'],
      authorization_details_types: ['account_information'],
      ...(method === 'tls_client_auth'
        ? { tls_client_auth_subject_dn: readCertificateIdentity(this.tls.cert ?? '').subjectDn }
        : { jwks: { keys: [(await this.signingKey).publicJwk] } }),
      ...extra,
    }
    const res = await send(
      this.bank.metadata.registration_endpoint ?? '',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      { ca: this.tls.ca },
    )
    if (res.status === 201) this.registration = res.json() as unknown as ClientInformation
    return res
  }

  /** Client authentication fields for one request (a fresh assertion each time: jti is single-use). */
  private async authentication(): Promise<Record<string, string>> {
    if (this.registration?.token_endpoint_auth_method === 'tls_client_auth') {
      return { client_id: this.clientId }
    }
    const key = await this.signingKey
    return {
      client_id: this.clientId,
      client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
      client_assertion: await createClientAssertion({
        clientId: this.clientId,
        issuer: this.bank.issuer,
        key: key.privateKey,
        alg: 'ES256',
        kid: key.publicJwk.kid as string,
        now: nowSeconds(),
        jti: randomUUID(),
      }),
    }
  }

  /** A DPoP proof for `method url`, with the last nonce and, at a resource, the token's `ath`. */
  async dpopProof(method: string, url: string, accessToken?: string): Promise<string> {
    const key = await this.dpopKey
    return createDpopProof({
      key: key.privateKey,
      jwk: key.publicJwk,
      alg: 'ES256',
      htm: method,
      htu: url,
      now: nowSeconds(),
      jti: randomUUID(),
      ...(accessToken === undefined ? {} : { accessToken }),
      ...(this.dpopNonce === undefined ? {} : { nonce: this.dpopNonce }),
    })
  }

  /**
   * Sends a request built by `attempt`, and once more when the bank asks for a DPoP nonce
   * (`use_dpop_nonce` with a `DPoP-Nonce` header: RFC 9449 sections 8 and 9). Every nonce the bank
   * hands out is kept for the next proof.
   */
  private async withNonce(attempt: () => Promise<HttpsResponse>): Promise<HttpsResponse> {
    let res = await attempt()
    const nonce = headerOf(res, 'dpop-nonce')
    if (nonce !== undefined) this.dpopNonce = nonce
    const challenged =
      res.status === 400
        ? res.json().error === 'use_dpop_nonce'
        : res.status === 401 &&
          /error="use_dpop_nonce"/.test(headerOf(res, 'www-authenticate') ?? '')
    if (challenged && nonce !== undefined) {
      this.nonceChallenges += 1
      res = await attempt()
      const next = headerOf(res, 'dpop-nonce')
      if (next !== undefined) this.dpopNonce = next
    }
    return res
  }

  /** A form POST to a back-channel endpoint with client authentication and, at PAR and token, DPoP. */
  async post(
    name: BackChannel,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ) {
    const url = this.endpoint(name)
    const proves =
      this.usesDpop() &&
      (name === 'token_endpoint' || name === 'pushed_authorization_request_endpoint')
    return this.withNonce(async () =>
      postForm(url, { ...fields, ...(await this.authentication()) }, this.tls, {
        ...headers,
        ...(proves ? { dpop: await this.dpopProof('POST', url) } : {}),
      }),
    )
  }

  /**
   * Pushes an authorization request (RFC 9126), inside a signed request object when the client is
   * registered for them (RFC 9101; FAPI 2.0 MS 5.3.2), with a fresh state, nonce and PKCE pair.
   */
  async push(
    parameters: Record<string, string>,
  ): Promise<{ res: HttpsResponse; pending: PendingAuthorization }> {
    const codeVerifier = randomUUID() + randomUUID()
    const pending = {
      requestUri: '',
      state: randomUUID(),
      nonce: randomUUID(),
      codeVerifier,
      redirectUri: this.redirectUri,
    }
    const request = {
      response_type: 'code',
      client_id: this.clientId,
      redirect_uri: this.redirectUri,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await calculatePkceChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ...(this.registration?.response_modes?.includes('jwt') ? { response_mode: 'jwt' } : {}),
      ...parameters,
    }
    const key = await this.signingKey
    const fields = this.registration?.require_signed_request_object
      ? {
          request: await createRequestObject(request, {
            clientId: this.clientId,
            issuer: this.bank.issuer,
            key: { key: key.privateKey, alg: 'ES256', kid: key.publicJwk.kid as string },
            now: nowSeconds(),
          }),
        }
      : request
    const res = await this.post('pushed_authorization_request_endpoint', fields)
    if (res.status === 201) pending.requestUri = String(res.json().request_uri)
    return { res, pending }
  }

  /** The authorization endpoint URL the browser is sent to: client_id and request_uri only (CL-02). */
  authorizationUrl(pending: PendingAuthorization): string {
    const query = new URLSearchParams({ client_id: this.clientId, request_uri: pending.requestUri })
    return `${this.bank.metadata.authorization_endpoint}?${query}`
  }

  /**
   * The authorization response the bank sent the browser to the callback with: the query, or the
   * members of a JARM `response` once its signature, `iss`, `aud` and `exp` check out.
   */
  async callback(location: string): Promise<{ params: Record<string, string>; jarm: boolean }> {
    const url = new URL(location)
    expect(`${url.origin}${url.pathname}`).toBe(this.redirectUri)
    expect(url.hash).toBe('')
    const query = Object.fromEntries(url.searchParams)
    if (query.response === undefined) return { params: query, jarm: false }
    const verified: JarmParameters = await verifyJarmResponse({
      response: query.response,
      issuer: this.bank.issuer,
      clientId: this.clientId,
      now: nowSeconds(),
      jwks: this.bank.jwks,
    })
    return { params: verified as Record<string, string>, jarm: true }
  }

  /** Redeems the code (RFC 6749 section 4.1.3) with the PKCE verifier. */
  exchangeCode(code: string, pending: PendingAuthorization): Promise<HttpsResponse> {
    return this.post('token_endpoint', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: pending.redirectUri,
      code_verifier: pending.codeVerifier,
    })
  }

  refresh(refreshToken: string): Promise<HttpsResponse> {
    return this.post('token_endpoint', { grant_type: 'refresh_token', refresh_token: refreshToken })
  }

  introspect(token: string, accept?: string): Promise<HttpsResponse> {
    return this.post('introspection_endpoint', { token }, accept === undefined ? {} : { accept })
  }

  revoke(token: string, hint: 'refresh_token' | 'access_token'): Promise<HttpsResponse> {
    return this.post('revocation_endpoint', { token, token_type_hint: hint })
  }

  /** GET userinfo with the access token in the scheme of its binding (RFC 9449 section 7.1; RFC 8705 section 3). */
  userinfo(accessToken: string): Promise<HttpsResponse> {
    return this.resource('GET', this.endpoint('userinfo_endpoint'), accessToken)
  }

  /**
   * Calls a protected resource (userinfo, the bank's APIs) with the access token in the scheme of
   * its binding: DPoP with a fresh proof, or Bearer over this client's mutual-TLS connection.
   * A JSON `body` is sent as such; `headers` add to the credentials.
   */
  resource(
    method: 'GET' | 'POST',
    url: string,
    accessToken: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpsResponse> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body)
    return this.withNonce(async () =>
      send(
        url,
        {
          method,
          headers: {
            ...options.headers,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(this.usesDpop()
              ? {
                  authorization: `DPoP ${accessToken}`,
                  dpop: await this.dpopProof(method, url.split('?', 1)[0] ?? url, accessToken),
                }
              : { authorization: `Bearer ${accessToken}` }),
          },
          ...(body === undefined ? {} : { body }),
        },
        this.tls,
      ),
    )
  }
}
