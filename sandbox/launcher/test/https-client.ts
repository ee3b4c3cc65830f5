/** A small HTTPS client for the launcher tests: form POSTs over real TLS, with or without a client certificate. */
import { randomUUID } from 'node:crypto'
import { request } from 'node:https'
import {
  createClientAssertion,
  JWT_BEARER_CLIENT_ASSERTION_TYPE,
} from '@sandbox/fapi/client-assertion'
import { cite } from '@sandbox/fapi/errors/describe'
import type { Rule } from '@sandbox/fapi/errors/oauth-error'
import { calculatePkceChallenge } from '@sandbox/fapi/pkce'
import { expect } from 'vitest'
import type { DemoFintechKey } from '../src/demo-fintech.js'

export interface TlsClientOptions {
  /** The CA the client trusts (the sandbox CA). */
  ca: string
  /** A client certificate and its key, for mutual TLS. */
  cert?: string | undefined
  key?: string | undefined
}

export interface HttpsResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  json(): Record<string, unknown>
}

export interface HttpsRequest {
  method?: string
  /** A list sends the header once per value, as separate lines. */
  headers?: Record<string, string | string[]>
  body?: string
}

/** One HTTPS request on a fresh TLS connection that trusts exactly `tls.ca`. */
export function send(
  url: string,
  init: HttpsRequest,
  tls: TlsClientOptions,
): Promise<HttpsResponse> {
  const { method = 'GET', headers = {}, body } = init
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        ca: tls.ca,
        ...(tls.cert === undefined ? {} : { cert: tls.cert, key: tls.key }),
        headers:
          body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** POSTs `fields` as application/x-www-form-urlencoded on a fresh TLS connection. */
export function postForm(
  url: string,
  fields: Record<string, string>,
  tls: TlsClientOptions,
  headers: Record<string, string> = {},
): Promise<HttpsResponse> {
  return send(
    url,
    {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    },
    tls,
  )
}

/** A response header as one string (`set-cookie` excepted, no header the sandbox sends repeats). */
export function headerOf(res: HttpsResponse, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(', ') : value
}

/** A pushed authorization request body as the demo fintech sends it (RFC 9126 section 2.1). */
export async function parFields(clientId: string, redirectUri: string) {
  return {
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid accounts',
    state: randomUUID(),
    nonce: randomUUID(),
    code_challenge: await calculatePkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
    code_challenge_method: 'S256',
  }
}

/** private_key_jwt fields signed with the demo fintech's key for `issuer` (RFC 7523 section 2.2). */
export async function assertionFields(clientId: string, key: DemoFintechKey, issuer: string) {
  return {
    client_assertion_type: JWT_BEARER_CLIENT_ASSERTION_TYPE,
    client_assertion: await createClientAssertion({
      clientId,
      issuer,
      key: key.privateKey,
      alg: key.alg,
      kid: key.kid,
      now: Math.floor(Date.now() / 1000),
      jti: randomUUID(),
    }),
  }
}

/** The rejection a rule describes: status, error, its summary and clause, never cached. */
export function expectOAuthError(res: HttpsResponse, rule: Rule): string {
  const body = res.json()
  expect({ status: res.status, error: body.error }).toEqual({
    status: rule.status,
    error: rule.error,
  })
  const description = String(body.error_description)
  expect(description.startsWith(rule.summary)).toBe(true)
  expect(description).toContain(`(${cite(rule.clause)})`)
  expect(res.headers['cache-control']).toBe('no-store')
  return description
}
