/**
 * The user's connections: what each grant allows and until when, a refresh of its tokens, and
 * disconnecting, which revokes the refresh token at the bank (RFC 7009; the bank ends the grant
 * and every access token of it) and then confirms that the bank refuses the old access token.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { BankRefusal, revokeToken } from '../client/authorization.js'
import {
  clientOf,
  endConnection,
  type FintechContext,
  providerOf,
  reachBank,
  refresh,
} from '../context.js'
import { checkCsrf } from '../plugins/session.js'
import { problems } from '../problems.js'
import type { Connection } from '../store/sessions.js'

const ConnectionView = Type.Object({
  id: Type.String(),
  bankId: Type.String(),
  bankName: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('ended'), Type.Literal('revoked')]),
  connectedAt: Type.String(),
  expiresAt: Type.Optional(Type.String()),
  accessExpiresAt: Type.Optional(Type.String()),
  actions: Type.Array(Type.String()),
  accounts: Type.Integer(),
  grantId: Type.Optional(Type.String()),
  ended: Type.Optional(Type.Object({ at: Type.String(), reason: Type.String() })),
})

const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

function viewOf(context: FintechContext, connection: Connection) {
  const { tokens } = connection
  return {
    id: connection.id,
    bankId: connection.bankId,
    bankName: providerOf(context, connection.bankId).name,
    status: connection.status,
    connectedAt: iso(connection.connectedAt),
    ...(connection.expiresAt === undefined ? {} : { expiresAt: iso(connection.expiresAt) }),
    ...(tokens.accessExpiresAt === undefined || connection.status !== 'active'
      ? {}
      : { accessExpiresAt: iso(tokens.accessExpiresAt) }),
    actions: [...connection.actions],
    accounts: connection.accounts.length,
    ...(tokens.grantId === undefined ? {} : { grantId: tokens.grantId }),
    ...(connection.ended === undefined
      ? {}
      : { ended: { at: iso(connection.ended.at), reason: connection.ended.reason } }),
  }
}

const ConnectionParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

export function connectionRoutes(context: FintechContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/connections',
      { schema: { response: { 200: Type.Object({ connections: Type.Array(ConnectionView) }) } } },
      async (request) => ({
        connections: [...request.session.connections.values()]
          .sort((a, b) => b.connectedAt - a.connectedAt)
          .map((connection) => viewOf(context, connection)),
      }),
    )

    app.post(
      '/api/connections/:id/refresh',
      { schema: { params: ConnectionParams, response: { 200: ConnectionView } } },
      async (request) => {
        checkCsrf(request)
        const connection = request.session.connections.get(request.params.id)
        if (connection === undefined) throw problems.notFound('connection')
        const provider = providerOf(context, connection.bankId)
        if (connection.status !== 'active') {
          throw problems.connectionEnded(provider.name, provider.id)
        }
        await reachBank(provider, () => refresh(context, connection))
        return viewOf(context, connection)
      },
    )

    app.delete(
      '/api/connections/:id',
      {
        schema: {
          params: ConnectionParams,
          response: {
            200: Type.Object({ connection: ConnectionView, bankConfirmed: Type.Boolean() }),
          },
        },
      },
      async (request) => {
        checkCsrf(request)
        const connection = request.session.connections.get(request.params.id)
        if (connection === undefined) throw problems.notFound('connection')
        const client = clientOf(context, connection.bankId)
        const { provider } = client
        let bankConfirmed = connection.status !== 'active'
        if (connection.status === 'active') {
          const { accessToken, refreshToken } = connection.tokens
          await reachBank(provider, async () => {
            try {
              // The refresh token stands for the grant: revoking it ends every token of it.
              if (refreshToken !== undefined)
                await revokeToken(client, refreshToken, 'refresh_token')
              else await revokeToken(client, accessToken, 'access_token')
            } catch (error) {
              if (!(error instanceof BankRefusal)) throw error
              throw problems.bankRefused(provider.name, provider.id, error.message)
            }
            // Confirmed, not assumed: the old access token must now be refused.
            const probe = await client.resource(
              'GET',
              `${provider.apiBaseUrl}/accounts`,
              accessToken,
            )
            bankConfirmed = probe.status === 401
          })
          endConnection(connection, 'revoked', 'you disconnected it', context.seconds())
          connection.tokens = { ...connection.tokens, accessToken: '', refreshToken: undefined }
        }
        return { connection: viewOf(context, connection), bankConfirmed }
      },
    )
  }
}
