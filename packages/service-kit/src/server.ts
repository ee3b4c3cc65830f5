/** Fastify construction shared by every service: TLS, validation settings, graceful close. */
import { createServer as createHttpsServer, type ServerOptions } from 'node:https'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyServerOptions } from 'fastify'

/** The TLS material a service listens with; absent in `inject` tests. */
export interface ServiceTls {
  cert: string
  key: string
  /** CA bundle used to verify client certificates when `requestCert` is set. */
  ca?: string
  /** Ask clients for a certificate (RFC 8705 mutual TLS); the route decides what to accept. */
  requestCert?: boolean
}

export interface ServerSettings {
  tls?: ServiceTls | undefined
  logger?: FastifyServerOptions['logger']
  /** How to answer requests the router refuses before any route runs (an undecodable URL). */
  frameworkErrors?: FastifyServerOptions['frameworkErrors']
}

/** FAPI 2.0 SP 5.2.1-2: TLS 1.2 or later, also when Node was started with `--tls-min-v1.0`. */
export const TLS_MIN_VERSION = 'TLSv1.2'

/**
 * The cipher suites every listener offers; Node reads the `TLS_` names as TLS 1.3 suites, all of
 * them AEAD. On TLS 1.2, FAPI 2.0 SP 5.2.2-1 permits only the suites RFC 9325 section 4.2
 * recommends: ECDHE with AES-GCM (no CBC, no DHE, no ChaCha20 on 1.2). The sandbox certificates
 * are ECDSA; the RSA names serve an operator's RSA certificate.
 * @see https://openid.net/specs/fapi-security-profile-2_0-final.html#section-5.2.2
 * @see https://www.rfc-editor.org/rfc/rfc9325.html#section-4.2
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
].join(':')

function httpsOptions(tls: ServiceTls): ServerOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: TLS_MIN_VERSION,
    ciphers: TLS_CIPHERS,
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    requestCert: tls.requestCert ?? false,
    // Certificate problems are answered by the OAuth layer with an error that cites RFC 8705,
    // not by a TLS alert the client cannot explain.
    rejectUnauthorized: false,
  }
}

/**
 * Creates a fastify instance with the sandbox's common settings and the TypeBox type provider.
 * Ajv removes unknown members where a schema says `additionalProperties: false` (RFC 6749 3.1:
 * unrecognized request parameters are ignored) and never coerces JSON bodies.
 */
export function createServer(settings: ServerSettings = {}) {
  const options: FastifyServerOptions = {
    logger: settings.logger ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: true, allErrors: false, coerceTypes: false } },
    ...(settings.frameworkErrors === undefined
      ? {}
      : { frameworkErrors: settings.frameworkErrors }),
  }
  const { tls } = settings
  if (tls) {
    // An https.Server hands fastify the same IncomingMessage/ServerResponse pair as http.Server;
    // the serverFactory keeps one instance type for HTTPS services and plain `inject` tests.
    options.serverFactory = (handler) => createHttpsServer(httpsOptions(tls), handler) as never
  }
  return Fastify(options).withTypeProvider<TypeBoxTypeProvider>()
}

export type SandboxServer = ReturnType<typeof createServer>

/**
 * Closes a listening service: stops accepting, lets requests in flight finish, and after
 * `graceMs` drops connections that clients keep alive (browsers hold them open for minutes, which
 * would otherwise keep Ctrl-C waiting).
 */
export async function closeServer(app: SandboxServer, graceMs = 3000): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), graceMs)
  try {
    await app.close()
  } finally {
    clearTimeout(timer)
  }
}
