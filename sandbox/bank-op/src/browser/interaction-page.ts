/** Renders the page of an interaction's current step: password, one-time code or consent. */
import type { FastifyReply } from 'fastify'
import { buildConsentOffer } from '../authorization/consent-offer.js'
import type { BankContext } from '../bank-context.js'
import { consentPage } from '../pages/consent-page.js'
import type { Html } from '../pages/html.js'
import { renderPage } from '../pages/layout.js'
import { codePage, passwordPage } from '../pages/sign-in-pages.js'
import { sendPage } from '../plugins/browser-scope.js'
import type { BrowserSession, BrowserState, Interaction } from './browser-state.js'
import { pageUrls, saveInteraction } from './interaction.js'

export async function sendInteractionPage(
  reply: FastifyReply,
  bank: BankContext,
  state: BrowserState,
  session: BrowserSession,
  interaction: Interaction,
): Promise<FastifyReply> {
  const { flow, notice } = interaction
  if (notice !== undefined) saveInteraction(state, { ...interaction, notice: undefined })
  const authorize = flow.kind === 'authorize' ? flow : undefined
  const common = {
    bankName: bank.bank.name,
    clientName: authorize?.clientName,
    csrfToken: session.csrfToken,
    notice,
    cancel: authorize && pageUrls.interaction(bank, interaction.id, 'cancel'),
  }
  let title: string
  let body: Html
  if (interaction.step === 'password') {
    title = 'Sign in'
    body = passwordPage({
      ...common,
      submit: pageUrls.interaction(bank, interaction.id, 'password'),
    })
  } else if (interaction.step === 'code' || authorize === undefined || !interaction.customer) {
    title = 'Confirm it is you'
    body = codePage({ ...common, submit: pageUrls.interaction(bank, interaction.id, 'code') })
  } else {
    title = 'Allow access'
    body = consentPage({
      ...common,
      clientName: authorize.clientName,
      offer: await buildConsentOffer(bank, authorize.pushed, interaction.customer.customerId),
      submit: pageUrls.interaction(bank, interaction.id, 'consent'),
    })
  }
  const page = renderPage(bank.bank, {
    title,
    body,
    // The 303 after these forms may lead to the client (CSP form-action; see layout.ts).
    formTargets: authorize === undefined ? [] : [new URL(authorize.pushed.redirectUri).origin],
    customerName: interaction.customer?.name,
  })
  return sendPage(reply, page)
}
