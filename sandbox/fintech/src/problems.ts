/**
 * What the fintech's own JSON API answers when something goes wrong: RFC 9457 problem documents
 * written for the person using the app (what happened, what to do), with the rule behind a refusal
 * where there is one. Never a stack trace.
 */
import { describe } from '@sandbox/fapi/errors/describe'
import type { Rule } from '@sandbox/fapi/errors/oauth-error'
import type { FastifyReply } from 'fastify'
import { fintechRules } from './rules.js'

/** What the page offers next to the message. */
export type ProblemAction = 'reconnect' | 'retry' | 'none'

export class FintechProblem extends Error {
  readonly status: number
  readonly title: string
  readonly action: ProblemAction
  readonly bankId: string | undefined
  /** The client rule the refusal enforces, when there is one. */
  readonly rule: Rule | undefined
  constructor(
    status: number,
    title: string,
    detail: string,
    options: {
      action?: ProblemAction
      bankId?: string | undefined
      rule?: Rule | undefined
      cause?: unknown
    } = {},
  ) {
    super(detail, { cause: options.cause })
    this.name = 'FintechProblem'
    this.status = status
    this.title = title
    this.action = options.action ?? 'none'
    this.bankId = options.bankId
    this.rule = options.rule
  }
}

export const problems = {
  notFound: (what: string) => new FintechProblem(404, 'Not found', `There is no ${what} here.`),
  unknownBank: (bankId: string) =>
    new FintechProblem(404, 'Unknown bank', `This app is not set up for a bank called ${bankId}.`),
  forgery: () =>
    new FintechProblem(
      403,
      'Request refused',
      `This request did not come from this app: ${describe(fintechRules.flowStartForgery)}. Reload the page and try again.`,
      { action: 'retry', rule: fintechRules.flowStartForgery },
    ),
  bankUnavailable: (bankName: string, bankId: string, cause?: unknown) =>
    new FintechProblem(
      502,
      `${bankName} is unavailable`,
      `${bankName} did not answer. Your data is safe; try again in a moment.`,
      { action: 'retry', bankId, cause },
    ),
  bankUntrusted: (bankName: string, bankId: string, cause?: unknown) =>
    new FintechProblem(
      502,
      `${bankName} could not prove who it is`,
      `The server answering for ${bankName} presented a certificate this app does not trust, so nothing was sent to it (FAPI 2.0 SP 5.2.1).`,
      { bankId, cause },
    ),
  connectionEnded: (bankName: string, bankId: string) =>
    new FintechProblem(
      401,
      `Your connection to ${bankName} has ended`,
      `${bankName} no longer accepts this app's access: it expired or was revoked. Reconnect to see your data again.`,
      { action: 'reconnect', bankId },
    ),
  bankRefused: (bankName: string, bankId: string, detail: string) =>
    new FintechProblem(502, `${bankName} refused the request`, detail, { action: 'retry', bankId }),
}

export const PROBLEM_JSON = 'application/problem+json'

export function sendProblem(reply: FastifyReply, problem: FintechProblem): FastifyReply {
  return reply
    .code(problem.status)
    .type(PROBLEM_JSON)
    .header('cache-control', 'no-store')
    .send({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.message,
      action: problem.action,
      ...(problem.bankId === undefined ? {} : { bankId: problem.bankId }),
      ...(problem.rule === undefined ? {} : { rule: problem.rule.id }),
    })
}
