/**
 * The two pieces every JSON-speaking scope of bank-op shares: resolving the bank from the
 * `{bank}` path segment (an unknown one is an RFC 9457 problem), and an error handler that turns
 * rejections into the scope's error format and anything else into a logged `server_error`.
 */
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { PROBLEM_JSON_MEDIA_TYPE } from '@sandbox/spec-types/problem'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { BankContext } from '../bank-context.js'
import type { BankDirectory } from '../bank-directory.js'
import { UNKNOWN_BANK_STATUS, unknownBankProblem } from '../unknown-bank.js'

export interface BankResolution {
  directory: BankDirectory
  contexts: ReadonlyMap<string, BankContext>
  publicBaseUrl: string
  /** Runs once the bank is known, e.g. to decide the listener. */
  onResolved?: ((request: FastifyRequest) => void) | undefined
}

/** An `onRequest` hook that sets `request.bank`, or answers 404 for a bank not hosted here. */
export function resolveBank({ directory, contexts, publicBaseUrl, onResolved }: BankResolution) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const bankId = (request.params as { bank?: string }).bank ?? ''
    const context = contexts.get(bankId)
    if (context === undefined) {
      return reply
        .code(UNKNOWN_BANK_STATUS)
        .type(PROBLEM_JSON_MEDIA_TYPE)
        .send(unknownBankProblem(directory, bankId, publicBaseUrl))
    }
    request.bank = context
    onResolved?.(request)
  }
}

/**
 * An error handler: rejections (thrown, or fastify's own 4xx) go out through `send`; anything
 * else is a bug to fix, logged with the request id and answered without internals.
 */
export function rejectionHandler(options: {
  send: (reply: FastifyReply, error: OAuthError) => FastifyReply
  fromFastify: (error: FastifyError, request: FastifyRequest) => OAuthError
  /** Where it failed, for the log line. */
  where: string
}) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof OAuthError) return options.send(reply, error)
    const status = error.statusCode ?? 500
    if (error.validation !== undefined || (status >= 400 && status < 500)) {
      return options.send(reply, options.fromFastify(error, request))
    }
    request.log.error({ err: error }, `unexpected error in ${options.where}`)
    return reply.code(500).header('cache-control', 'no-store').send({
      error: 'server_error',
      error_description: 'the bank failed unexpectedly (RFC 6749 section 5.2)',
    })
  }
}
