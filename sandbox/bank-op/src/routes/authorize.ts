/**
 * `GET /{bank}/authorize`: the authorization endpoint (RFC 6749 section 3.1), reached only with a
 * pushed request (RFC 9126 section 4; FAPI 2.0 SP 5.3.2.2-2/-3). It starts the customer's sign-in,
 * or for a client registered with automatic consent decides at once (docs/headless-consent.md).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { PushedAuthorizationReferenceSchema } from '@sandbox/spec-types/oauth/authorization-request'
import Type from 'typebox'
import { seeOther } from '../authorization/authorization-response.js'
import { decideAutomatically } from '../authorization/automatic-consent.js'
import { startInteraction } from '../browser/interaction.js'
import { sendInteractionPage } from '../browser/interaction-page.js'
import { openSession } from '../browser/session.js'
import { checkPushedReference } from '../checks/check-pushed-reference.js'
import { ENDPOINT_PATHS } from '../metadata.js'
import { PAGE_RESPONSES } from '../pages/page-responses.js'
import { authorizeRules } from '../rules/authorize.js'

const PATH = ENDPOINT_PATHS.authorization_endpoint

export const authorizeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    `/:bank${PATH}`,
    {
      schema: {
        params: Type.Object({ bank: Type.String() }),
        // AS-AZ-08: Ajv's removeAdditional drops every other front-channel parameter.
        querystring: PushedAuthorizationReferenceSchema,
        response: PAGE_RESPONSES,
      },
      config: {
        parameterRules: {
          request_uri: authorizeRules.notPushed,
          client_id: authorizeRules.clientId,
        },
      },
    },
    async (request, reply) => {
      const { bank, browser } = request
      const { client, flow } = await checkPushedReference(bank, request.query)
      request.trace.joinFlow(flow.pushed.flowId)
      if (client.automaticConsent !== undefined) {
        return seeOther(
          reply,
          await decideAutomatically(bank, browser, flow, client.automaticConsent),
        )
      }
      const session = openSession(request, reply, bank, browser)
      const interaction = startInteraction(bank, browser, session, flow)
      return sendInteractionPage(reply, bank, browser, session, interaction)
    },
  )
  // AS-TLS-06: no preflight is ever answered with CORS headers; no other method is taken.
  app.route({
    method: ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: `/:bank${PATH}`,
    schema: { response: PAGE_RESPONSES },
    handler: async (request) => {
      throw new OAuthError(authorizeRules.getOnly, `got ${request.method}`, { allow: 'GET' })
    },
  })
}
