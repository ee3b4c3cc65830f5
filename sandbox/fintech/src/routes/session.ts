/**
 * What the front end loads first: the banks it can connect to, the session's anti-forgery token,
 * and the notice a redirect left for it (shown once).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FintechContext } from '../context.js'
import { ACCESS_DURATIONS_DAYS } from './connect.js'
import { SessionSchema } from './schemas.js'

export function sessionRoutes(context: FintechContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/session',
      { schema: { response: { 200: SessionSchema } } },
      async (request, reply) => {
        const { session } = request
        const notice = session.notice
        session.notice = undefined
        reply.header('cache-control', 'no-store')
        return {
          csrfToken: session.csrfToken,
          banks: [...context.clients.values()].map(({ provider }) => ({
            id: provider.id,
            name: provider.name,
            brand: provider.brand,
            currency: provider.currency,
            profile: provider.profileSummary,
            connected: [...session.connections.values()].some(
              (c) => c.bankId === provider.id && c.status === 'active',
            ),
          })),
          durations: [...ACCESS_DURATIONS_DAYS],
          ...(notice === undefined ? {} : { notice }),
        }
      },
    )
  }
}
