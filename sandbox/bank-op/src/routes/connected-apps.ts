/**
 * `GET /{bank}/connected-apps`: the customer's grants and a way to revoke each (FAPI Grant
 * Management: the end user can review and revoke grants at the bank). Signing in uses the same
 * pages as an authorization.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { effectiveStatus } from '@sandbox/store/repositories/grants'
import Type from 'typebox'
import { seeOther } from '../authorization/authorization-response.js'
import { pageUrls, startInteraction } from '../browser/interaction.js'
import { sendInteractionPage } from '../browser/interaction-page.js'
import { checkFormSession, endSession, openSession, readSession } from '../browser/session.js'
import { connectedAppsPage } from '../pages/connected-apps-page.js'
import { renderPage } from '../pages/layout.js'
import { PAGE_RESPONSES } from '../pages/page-responses.js'
import { sendPage } from '../plugins/browser-scope.js'

const BankParams = Type.Object({ bank: Type.String() })
const CsrfFormSchema = Type.Object(
  { csrf: Type.Optional(Type.String({ maxLength: 128 })) },
  { additionalProperties: false },
)

export const connectedAppsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:bank/connected-apps',
    { schema: { params: BankParams, response: PAGE_RESPONSES } },
    async (request, reply) => {
      const { bank, browser } = request
      const existing = readSession(request, bank, browser)
      const customer = existing?.customer
      if (existing === undefined || customer === undefined) {
        const session = openSession(request, reply, bank, browser)
        const interaction = startInteraction(bank, browser, session, { kind: 'connected-apps' })
        return sendInteractionPage(reply, bank, browser, session, interaction)
      }
      const { notice } = existing
      if (notice !== undefined) {
        browser.sessions.set(existing.id, { ...existing, notice: undefined }, existing.expiresAt)
      }
      const now = bank.now()
      const [grants, accounts] = await Promise.all([
        bank.store.grants.listByCustomer(customer.customerId),
        bank.store.accounts.listForCustomer(customer.customerId),
      ])
      const names = new Map<string, string>()
      for (const grant of grants) {
        if (names.has(grant.clientId)) continue
        const client = await bank.store.clients.get(grant.clientId)
        names.set(grant.clientId, client?.metadata.client_name ?? grant.clientId)
      }
      const body = connectedAppsPage({
        bankName: bank.bank.name,
        apps: grants.map((grant) => ({
          grant,
          clientName: names.get(grant.clientId) ?? grant.clientId,
          status: effectiveStatus(grant, now),
          revoke: pageUrls.revoke(bank, grant.id),
        })),
        accounts: new Map(accounts.map((account) => [account.id, account])),
        csrfToken: existing.csrfToken,
        signOut: pageUrls.signOut(bank),
        notice,
      })
      const page = renderPage(bank.bank, {
        title: 'Connected apps',
        body,
        customerName: customer.name,
      })
      return sendPage(reply, page)
    },
  )

  app.post(
    '/:bank/connected-apps/:grantId/revoke',
    {
      schema: {
        params: Type.Object({ bank: Type.String(), grantId: Type.String({ maxLength: 255 }) }),
        body: CsrfFormSchema,
        response: PAGE_RESPONSES,
      },
      // Not the RFC 7009 `revoke` step: the customer ends a grant from the bank's own page.
      config: { step: 'connected-apps-revoke' },
    },
    async (request, reply) => {
      const { bank, browser } = request
      const session = checkFormSession(request, bank, browser, request.body.csrf)
      const { customer } = session
      if (customer !== undefined) {
        const grant = await bank.store.grants.get(request.params.grantId)
        // Only the customer's own grants; any other id reads as not found, revealing nothing.
        const own = grant !== undefined && grant.customerId === customer.customerId
        const revoked =
          own && (await bank.store.grants.revoke(grant.id, bank.now(), 'revoked by the customer'))
        const notice = revoked
          ? 'Access revoked: that app can no longer reach your accounts.'
          : 'That connection was not found or had already ended.'
        browser.sessions.set(session.id, { ...session, notice }, session.expiresAt)
      }
      return seeOther(reply, pageUrls.connectedApps(bank))
    },
  )

  app.post(
    '/:bank/sign-out',
    { schema: { params: BankParams, body: CsrfFormSchema, response: PAGE_RESPONSES } },
    async (request, reply) => {
      const { bank, browser } = request
      const session = checkFormSession(request, bank, browser, request.body.csrf)
      endSession(reply, bank, browser, session)
      return seeOther(reply, pageUrls.connectedApps(bank))
    },
  )
}
