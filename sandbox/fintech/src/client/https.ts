/**
 * The fintech's outgoing HTTPS: one keep-alive agent per bank that trusts only the configured CA
 * and presents the fintech's client certificate where the bank uses mutual TLS (RFC 8705), on
 * TLS 1.2 or later (FAPI 2.0 SP 5.2.1-2). Server certificates are always verified (CL-15).
 */
import { Agent, request } from 'node:https'

export interface HttpsRequest {
  method?: 'GET' | 'POST' | 'DELETE'
  headers?: Record<string, string>
  body?: string
}

export interface HttpsResponse {
  status: number
  headers: Readonly<Record<string, string | undefined>>
  body: string
}

export interface HttpsTls {
  /** The CA bundle to trust; Node's defaults when absent. */
  ca?: string | undefined
  /** The client certificate for mutual TLS. */
  certificate?: { certPem: string; keyPem: string } | undefined
}

/** A bank could not be reached or did not answer in time: the user sees "bank unavailable". */
export class BankUnavailableError extends Error {
  constructor(url: string, options: { cause?: unknown } = {}) {
    const reason = (options.cause as NodeJS.ErrnoException | undefined)?.code ?? 'no answer'
    super(`the bank at ${new URL(url).origin} could not be reached (${reason})`, options)
    this.name = 'BankUnavailableError'
  }
}

/** The bank's server certificate did not verify against the trusted CAs (CL-15): refused. */
export class BankCertificateError extends Error {
  constructor(url: string, options: { cause?: unknown } = {}) {
    const reason = (options.cause as NodeJS.ErrnoException | undefined)?.code ?? 'unverified'
    super(`the certificate of ${new URL(url).origin} is not trusted (${reason})`, options)
    this.name = 'BankCertificateError'
  }
}

export type HttpsTransport = (url: string, init?: HttpsRequest) => Promise<HttpsResponse>

/** Sandbox policy: a bank that has not answered in 10 s is unavailable. */
export const BANK_TIMEOUT_MS = 10_000

/** Bodies larger than this are cut off: no bank response the fintech reads comes close. */
const MAX_BODY_BYTES = 4 * 1024 * 1024

/** A transport on one agent; `close` ends its idle connections. */
export function createHttpsTransport(tls: HttpsTls): HttpsTransport & { close(): void } {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 16,
    minVersion: 'TLSv1.2',
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.certificate === undefined
      ? {}
      : { cert: tls.certificate.certPem, key: tls.certificate.keyPem }),
  })
  const transport = (url: string, init: HttpsRequest = {}) =>
    new Promise<HttpsResponse>((resolve, reject) => {
      const body = init.body
      const req = request(
        url,
        {
          agent,
          method: init.method ?? 'GET',
          timeout: BANK_TIMEOUT_MS,
          headers: {
            ...init.headers,
            ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (chunk: Buffer) => {
            size += chunk.length
            if (size > MAX_BODY_BYTES) res.destroy(new Error('response too large'))
            else chunks.push(chunk)
          })
          res.on('end', () => {
            const headers: Record<string, string | undefined> = {}
            for (const [name, value] of Object.entries(res.headers)) {
              headers[name] = Array.isArray(value) ? value.join(', ') : value
            }
            resolve({
              status: res.statusCode ?? 0,
              headers,
              body: Buffer.concat(chunks).toString('utf8'),
            })
          })
          res.on('error', (cause) => reject(new BankUnavailableError(url, { cause })))
        },
      )
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      )
      req.on('error', (cause) => {
        // A certificate the CA does not vouch for is not "unavailable": it is refused (CL-15).
        const code = (cause as NodeJS.ErrnoException).code ?? ''
        if (/CERT|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY/.test(code))
          reject(new BankCertificateError(url, { cause }))
        else reject(new BankUnavailableError(url, { cause }))
      })
      req.end(body)
    })
  return Object.assign(transport, { close: () => agent.destroy() })
}

/** Parses a JSON object body, or undefined when the body is not one. */
export function jsonObject(res: HttpsResponse): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(res.body)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
