/**
 * What every route of the fintech shares: its configuration, one client per bank, the sessions,
 * the clock and randomness, and the call to a bank's API on behalf of a connection (refreshing
 * once when the access token has run out, ending the connection when the bank says it has).
 */
import type { TraceBus } from '@sandbox/service-kit/trace-bus'
import { BankRefusal, refreshTokens } from './client/authorization.js'
import type { BankClient } from './client/bank-client.js'
import {
  BankCertificateError,
  BankUnavailableError,
  type HttpsResponse,
  jsonObject,
} from './client/https.js'
import type { FintechConfig, ProviderConfig } from './config.js'
import { FintechProblem, problems } from './problems.js'
import type { Connection, SessionStore } from './store/sessions.js'

export interface FintechContext {
  config: FintechConfig
  clients: ReadonlyMap<string, BankClient>
  sessions: SessionStore
  /** Seconds since the epoch. */
  seconds: () => number
  /** A fresh unguessable identifier (128 bits or more, base64url). */
  randomId: () => string
  trace: TraceBus
  /** The fintech's public origin, for the URLs in its trace events. */
  origin: string
}

export function clientOf(context: FintechContext, bankId: string): BankClient {
  const client = context.clients.get(bankId)
  if (client === undefined) throw problems.unknownBank(bankId)
  return client
}

export function providerOf(context: FintechContext, bankId: string): ProviderConfig {
  return clientOf(context, bankId).provider
}

/** Turns a failure to reach a bank into the problem the user sees; everything else passes. */
export async function reachBank<T>(provider: ProviderConfig, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof BankUnavailableError) {
      throw problems.bankUnavailable(provider.name, provider.id, error)
    }
    if (error instanceof BankCertificateError) {
      throw problems.bankUntrusted(provider.name, provider.id, error)
    }
    throw error
  }
}

/** Marks a connection as no longer working, with the reason the user will read. */
export function endConnection(
  connection: Connection,
  status: 'ended' | 'revoked',
  reason: string,
  at: number,
): void {
  connection.status = status
  connection.ended = { at, reason }
}

const isInvalidToken = (res: HttpsResponse) =>
  res.status === 401 && /error="invalid_token"/i.test(res.headers['www-authenticate'] ?? '')

/**
 * Calls `url` at the connection's bank with its access token. An access token known to have
 * expired, or refused as `invalid_token`, is refreshed once (RFC 6749 section 6); when the bank
 * refuses the refresh too, the connection has ended and the user is offered to reconnect.
 * @throws FintechProblem connectionEnded, bankUnavailable
 */
export async function callWithConnection(
  context: FintechContext,
  connection: Connection,
  method: 'GET' | 'POST',
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ res: HttpsResponse; body: Record<string, unknown> | undefined }> {
  const client = clientOf(context, connection.bankId)
  const { provider } = client
  if (connection.status !== 'active') throw problems.connectionEnded(provider.name, provider.id)
  return reachBank(provider, async () => {
    const expiry = connection.tokens.accessExpiresAt
    if (expiry !== undefined && expiry <= context.seconds()) await refresh(context, connection)
    let res = await client.resource(method, url, connection.tokens.accessToken, options)
    if (isInvalidToken(res)) {
      await refresh(context, connection)
      res = await client.resource(method, url, connection.tokens.accessToken, options)
      if (isInvalidToken(res)) {
        endConnection(
          connection,
          'ended',
          'the bank no longer accepts its tokens',
          context.seconds(),
        )
        throw problems.connectionEnded(provider.name, provider.id)
      }
    }
    return { res, body: jsonObject(res) }
  })
}

/**
 * New tokens for a connection from its refresh token.
 * @throws FintechProblem connectionEnded when there is none or the bank refuses it
 */
export async function refresh(context: FintechContext, connection: Connection): Promise<void> {
  const client = clientOf(context, connection.bankId)
  const { provider } = client
  const refreshToken = connection.tokens.refreshToken
  if (refreshToken === undefined) {
    endConnection(connection, 'ended', 'its access expired', context.seconds())
    throw problems.connectionEnded(provider.name, provider.id)
  }
  try {
    connection.tokens = await refreshTokens(client, refreshToken, context.seconds)
  } catch (error) {
    if (error instanceof BankRefusal && error.error === 'invalid_grant') {
      endConnection(
        connection,
        'ended',
        'the bank ended it (expired or revoked)',
        context.seconds(),
      )
      throw problems.connectionEnded(provider.name, provider.id)
    }
    if (error instanceof BankRefusal) {
      throw problems.bankRefused(provider.name, provider.id, error.message)
    }
    throw error
  }
}

export { FintechProblem }
