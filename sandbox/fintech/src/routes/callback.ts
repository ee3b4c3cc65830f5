/**
 * The redirect URI: where the bank sends the browser back with the authorization response. The
 * response must belong to a flow this browser started and not yet finished (CL-18), carry that
 * flow's `state` (CL-05) and its bank's `iss` (RFC 9207, CL-04: a response from another bank is a
 * mix-up and is refused), or be a JARM response that verifies (MS-JARM-06). Only then is the code
 * redeemed, once. The browser then goes back to the app with a notice of what happened.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { describe } from '@sandbox/fapi/errors/describe'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { traceCheck } from '@sandbox/service-kit/trace-plugin'
import type { TraceCheck } from '@sandbox/spec-types/trace-event'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'
import {
  BankRefusal,
  callbackState,
  exchangeCode,
  validateAuthResponse,
} from '../client/authorization.js'
import { clientOf, type FintechContext, reachBank } from '../context.js'
import { FintechProblem } from '../problems.js'
import { fintechRules } from '../rules.js'
import type { Notice, PendingFlow } from '../store/sessions.js'
import { emitStep } from '../trace.js'
import { connectionOf } from './connect.js'
import { finishPayment } from './payments.js'

export const CALLBACK_PATH = '/callback'

/** Every parameter a single string (RFC 6749 section 3.1: none may be repeated). */
const CallbackQuery = Type.Record(Type.String(), Type.String({ maxLength: 8192 }))

/** What the user reads when the bank answered with an error code. */
const REFUSAL_WORDS: Readonly<Record<string, string>> = {
  access_denied: 'You declined the request at your bank, so nothing was shared.',
  login_required: 'You were not signed in at your bank.',
  temporarily_unavailable: 'Your bank could not handle the request just now. Try again shortly.',
}

function noticeOf(error: unknown, bankName: string): Notice {
  if (error instanceof OAuthError) {
    return {
      kind: 'error',
      title: `The answer from ${bankName} failed a security check`,
      message: 'Nothing was shared and nothing was stored. Start again from this app.',
      rule: { id: error.rule.id, description: describe(error.rule, error.detail) },
    }
  }
  if (error instanceof BankRefusal) {
    return {
      kind: error.error === 'access_denied' ? 'info' : 'error',
      title: error.error === 'access_denied' ? 'Not connected' : `${bankName} refused the request`,
      message:
        REFUSAL_WORDS[error.error] ??
        `${bankName} answered ${error.error}${error.description === undefined ? '' : `: ${error.description}`}.`,
    }
  }
  if (error instanceof FintechProblem) {
    return { kind: 'error', title: error.title, message: error.message }
  }
  throw error
}

export function callbackRoutes(context: FintechContext): FastifyPluginAsyncTypebox {
  const finish = (request: FastifyRequest, reply: FastifyReply, notice: Notice, to = '/') => {
    request.session.notice = notice
    return reply.code(303).header('cache-control', 'no-store').redirect(to, 303)
  }
  const trace = (flow: PendingFlow | undefined, checks: TraceCheck[]) =>
    emitStep(context, {
      flowId: flow?.pending.interactionId,
      bankId: flow?.pending.bankId,
      step: 'callback',
      method: 'GET',
      path: CALLBACK_PATH,
      status: 303,
      checks,
    })

  return async (app) => {
    app.get(CALLBACK_PATH, { schema: { querystring: CallbackQuery } }, async (request, reply) => {
      const query = request.query
      const state = callbackState(query)
      const flow = state === undefined ? undefined : request.session.pending.get(state)
      if (flow === undefined) {
        const rule = state === undefined ? fintechRules.stateMissing : fintechRules.stateUnknown
        trace(undefined, [traceCheck(rule, false)])
        return finish(request, reply, {
          kind: 'error',
          title: 'This sign-in did not start here',
          message:
            'The answer that came back does not belong to a connection this browser started (or it was already used). Nothing was stored.',
          rule: { id: rule.id, description: describe(rule) },
        })
      }
      // One redemption per authorization response, whatever happens next (CL-18).
      request.session.pending.delete(flow.pending.state)
      const client = clientOf(context, flow.pending.bankId)
      const { provider } = client
      try {
        const validated = await reachBank(provider, () =>
          validateAuthResponse(client, flow.pending, query, context.seconds()),
        )
        trace(flow, [
          traceCheck(fintechRules.issuerMismatch, true),
          traceCheck(fintechRules.stateUnknown, true),
        ])
        const tokens = await reachBank(provider, () =>
          exchangeCode(client, validated, flow.pending, context.seconds),
        )
        if (flow.purpose.kind === 'payment') {
          const payment = await finishPayment(context, request.session, flow, tokens)
          return finish(
            request,
            reply,
            { kind: 'success', title: 'Payment sent', message: `${provider.name} accepted it.` },
            `/#/payments/${payment.id}`,
          )
        }
        const connection = connectionOf(context, provider.id, tokens, flow.purpose.request.actions)
        request.session.connections.set(connection.id, connection)
        return finish(
          request,
          reply,
          {
            kind: 'success',
            title: `Connected to ${provider.name}`,
            message: 'Your accounts are below. You can disconnect at any time.',
          },
          '/#/dashboard',
        )
      } catch (error) {
        if (error instanceof OAuthError) trace(flow, [traceCheck(error.rule, false, error.detail)])
        return finish(request, reply, noticeOf(error, provider.name))
      }
    })
  }
}
