/**
 * The pages of a sign-in interaction: `GET /{bank}/interaction/{id}` shows the current step, and
 * each form posts to its own path and answers `303 See Other` (post/redirect/get; FAPI 2.0 SP
 * 5.3.2.2-10/-11: never 307 after credentials), to the next page or to the client.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import type { FastifyReply } from 'fastify'
import Type from 'typebox'
import { seeOther } from '../authorization/authorization-response.js'
import {
  approveAuthorization,
  refuseAuthorization,
} from '../authorization/complete-authorization.js'
import { buildConsentOffer, narrowToChoice } from '../authorization/consent-offer.js'
import type { BankContext } from '../bank-context.js'
import type { BrowserState, Interaction } from '../browser/browser-state.js'
import {
  checkInteraction,
  flowIdOf,
  MAX_SIGN_IN_FAILURES,
  pageUrls,
  saveInteraction,
} from '../browser/interaction.js'
import { sendInteractionPage } from '../browser/interaction-page.js'
import { checkFormSession, readSession, renewSession } from '../browser/session.js'
import { PAGE_RESPONSES } from '../pages/page-responses.js'
import { authorizeRules } from '../rules/authorize.js'

/** At most one payment detail per index of a pushed authorization_details (10, RAR-03 policy). */
const PAYER_FIELDS = Object.fromEntries(
  Array.from({ length: 10 }, (_, index) => [
    `payer-${index}`,
    Type.Optional(Type.String({ maxLength: 64 })),
  ]),
)

/** Every form carries the session's CSRF token; its absence is AS-AZ-14, not a schema failure. */
const csrf = Type.Optional(Type.String({ maxLength: 128 }))
const closed = { additionalProperties: false } as const

const Params = Type.Object({ bank: Type.String(), id: Type.String({ maxLength: 64 }) })
const CancelFormSchema = Type.Object({ csrf }, closed)
const PasswordFormSchema = Type.Object(
  {
    csrf,
    username: Type.Optional(Type.String({ maxLength: 64 })),
    password: Type.Optional(Type.String({ maxLength: 128 })),
  },
  closed,
)
const CodeFormSchema = Type.Object(
  { csrf, code: Type.Optional(Type.String({ maxLength: 16 })) },
  closed,
)
const ConsentFormSchema = Type.Object(
  {
    csrf,
    decision: Type.Optional(Type.String({ maxLength: 16 })),
    accounts: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 64 }),
        Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 }),
      ]),
    ),
    duration: Type.Optional(Type.String({ maxLength: 16 })),
    ...PAYER_FIELDS,
  },
  closed,
)

/** Compares a secret in constant time, whatever the lengths (digests of equal size). */
function sameSecret(expected: string, actual: string | undefined): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(expected), digest(actual ?? '')) && actual !== undefined
}

/** Back to the interaction's page, with a notice for it. */
function backToPage(
  reply: FastifyReply,
  bank: BankContext,
  state: BrowserState,
  interaction: Interaction,
  notice?: string,
): FastifyReply {
  saveInteraction(state, { ...interaction, notice })
  return seeOther(reply, pageUrls.interaction(bank, interaction.id))
}

/** A wrong password or code: a generic notice, or after the last attempt the end of the sign-in. */
async function failSignIn(
  reply: FastifyReply,
  bank: BankContext,
  state: BrowserState,
  interaction: Interaction,
  notice: string,
): Promise<FastifyReply> {
  const failures = interaction.failures + 1
  if (failures < MAX_SIGN_IN_FAILURES) {
    return backToPage(reply, bank, state, { ...interaction, failures }, notice)
  }
  state.interactions.delete(interaction.id)
  const error = new OAuthError(authorizeRules.signInAttempts, `${failures} wrong entries`)
  if (interaction.flow.kind !== 'authorize') throw error
  return seeOther(reply, await refuseAuthorization(bank, state, interaction.flow, error))
}

export const interactionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:bank/interaction/:id',
    { schema: { params: Params, response: PAGE_RESPONSES } },
    async (request, reply) => {
      const { bank, browser } = request
      const { interaction, session } = checkInteraction(
        browser,
        readSession(request, bank, browser),
        request.params.id,
      )
      request.trace.joinFlow(flowIdOf(interaction))
      return sendInteractionPage(reply, bank, browser, session, interaction)
    },
  )

  app.post(
    '/:bank/interaction/:id/password',
    { schema: { params: Params, body: PasswordFormSchema, response: PAGE_RESPONSES } },
    async (request, reply) => {
      const { bank, browser, body } = request
      const session = checkFormSession(request, bank, browser, body.csrf)
      const { interaction } = checkInteraction(browser, session, request.params.id)
      request.trace.joinFlow(flowIdOf(interaction))
      if (interaction.step !== 'password') return backToPage(reply, bank, browser, interaction)
      const user =
        body.username === undefined ? undefined : await bank.store.testUsers.get(body.username)
      if (user === undefined || !sameSecret(user.password, body.password)) {
        return failSignIn(
          reply,
          bank,
          browser,
          interaction,
          'The username or password is not right.',
        )
      }
      return backToPage(reply, bank, browser, {
        ...interaction,
        step: 'code',
        username: user.username,
      })
    },
  )

  app.post(
    '/:bank/interaction/:id/code',
    { schema: { params: Params, body: CodeFormSchema, response: PAGE_RESPONSES } },
    async (request, reply) => {
      const { bank, browser, body } = request
      const session = checkFormSession(request, bank, browser, body.csrf)
      const { interaction } = checkInteraction(browser, session, request.params.id)
      request.trace.joinFlow(flowIdOf(interaction))
      const user =
        interaction.step === 'code' && interaction.username !== undefined
          ? await bank.store.testUsers.get(interaction.username)
          : undefined
      if (user === undefined) return backToPage(reply, bank, browser, interaction)
      if (!sameSecret(user.oneTimeCode, body.code)) {
        return failSignIn(reply, bank, browser, interaction, 'That code is not right.')
      }
      const person = await bank.store.customers.get(user.customerId)
      const customer = {
        customerId: user.customerId,
        username: user.username,
        name: person === undefined ? user.username : `${person.givenName} ${person.familyName}`,
        authTime: bank.now(),
      }
      const renewed = renewSession(reply, bank, browser, session, customer)
      if (interaction.flow.kind !== 'authorize') {
        browser.interactions.delete(interaction.id)
        return seeOther(reply, pageUrls.connectedApps(bank))
      }
      return backToPage(reply, bank, browser, {
        ...interaction,
        sessionId: renewed.id,
        step: 'consent',
        customer,
      })
    },
  )

  app.post(
    '/:bank/interaction/:id/consent',
    { schema: { params: Params, body: ConsentFormSchema, response: PAGE_RESPONSES } },
    async (request, reply) => {
      const { bank, browser, body } = request
      const session = checkFormSession(request, bank, browser, body.csrf)
      const { interaction } = checkInteraction(browser, session, request.params.id)
      request.trace.joinFlow(flowIdOf(interaction))
      const { flow, customer } = interaction
      if (interaction.step !== 'consent' || flow.kind !== 'authorize' || customer === undefined) {
        return backToPage(reply, bank, browser, interaction)
      }
      if (body.decision === 'deny') {
        browser.interactions.delete(interaction.id)
        const denied = new OAuthError(authorizeRules.accessDenied, 'the customer chose Deny')
        return seeOther(reply, await refuseAuthorization(bank, browser, flow, denied))
      }
      if (body.decision !== 'approve') {
        return backToPage(reply, bank, browser, interaction, 'Choose Allow or Deny.')
      }
      const offer = await buildConsentOffer(bank, flow.pushed, customer.customerId)
      const payers = new Map<number, string>()
      for (const payment of offer.payments) {
        const payer = (body as Record<string, string | undefined>)[`payer-${payment.index}`]
        if (payer !== undefined) payers.set(payment.index, payer)
      }
      const accountIds = body.accounts === undefined ? [] : [body.accounts].flat()
      const result = narrowToChoice(
        offer,
        { accountIds, payers, duration: body.duration },
        bank.now(),
      )
      if ('notice' in result) return backToPage(reply, bank, browser, interaction, result.notice)
      browser.interactions.delete(interaction.id)
      return seeOther(
        reply,
        await approveAuthorization(bank, browser, flow, customer, result.granted),
      )
    },
  )

  app.post(
    '/:bank/interaction/:id/cancel',
    { schema: { params: Params, body: CancelFormSchema, response: PAGE_RESPONSES } },
    async (request, reply) => {
      const { bank, browser, body } = request
      const session = checkFormSession(request, bank, browser, body.csrf)
      const { interaction } = checkInteraction(browser, session, request.params.id)
      request.trace.joinFlow(flowIdOf(interaction))
      browser.interactions.delete(interaction.id)
      if (interaction.flow.kind !== 'authorize')
        return seeOther(reply, pageUrls.connectedApps(bank))
      const cancelled = new OAuthError(
        authorizeRules.accessDenied,
        'the customer cancelled the sign-in',
      )
      return seeOther(reply, await refuseAuthorization(bank, browser, interaction.flow, cancelled))
    },
  )
}
