/**
 * The authorization response at the client's pushed redirect_uri: `code` or `error`, with `state`
 * when one was pushed and the issuer in `iss` (RFC 6749 sections 4.1.2 and 4.1.2.1, RFC 9207
 * section 2), in the query and nowhere else (FAPI 2.0 SP 5.3.2.2-1), by `303 See Other`
 * (FAPI 2.0 SP 5.3.2.2-11). With the `jwt` response mode the same members travel signed in one
 * `response` parameter, `iss` among them (JARM section 2.3.4; FAPI 2.0 MS 5.4.1).
 * @see https://www.rfc-editor.org/rfc/rfc9207.html#section-2
 * @see https://openid.net/specs/oauth-v2-jarm-final.html#section-2.3.4
 */
import type { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { createJarmResponse, type JarmParameters } from '@sandbox/fapi/jarm'
import type { FastifyReply } from 'fastify'
import type { BankContext, PushedRequest } from '../bank-context.js'
import type { BankSigningAlg } from '../keys/key-ring.js'

export type AuthorizationResult = { code: string } | { error: OAuthError }

/** RFC 6749 section 3.1.2: a registered query component is kept, ours is appended to it. */
function appendQuery(uri: string, params: ReadonlyArray<readonly [string, string]>): string {
  const query = new URLSearchParams(params as [string, string][]).toString()
  return `${uri}${uri.includes('?') ? '&' : '?'}${query}`
}

/** The members of the response, in the order RFC 6749 section 4.1.2 lists them. */
export function authorizationResponseParameters(
  bank: BankContext,
  pushed: PushedRequest,
  result: AuthorizationResult,
): Array<[string, string]> {
  const params: Array<[string, string]> =
    'code' in result
      ? [['code', result.code]]
      : [
          ['error', result.error.rule.error],
          ['error_description', result.error.message],
        ]
  // AS-AZ-08: the pushed state only; none is returned when none was pushed.
  if (pushed.state !== undefined) params.push(['state', pushed.state])
  params.push(['iss', bank.issuer])
  return params
}

/** Where the browser goes next: the pushed redirect_uri with the response in its query. */
export async function authorizationResponseLocation(
  bank: BankContext,
  pushed: PushedRequest,
  result: AuthorizationResult,
  signingAlg: BankSigningAlg,
): Promise<string> {
  if (pushed.responseMode === 'query') {
    return appendQuery(pushed.redirectUri, authorizationResponseParameters(bank, pushed, result))
  }
  // AS-ISS-02, MS-JARM-05: only `response`; iss, state and the rest are claims inside it.
  const params: JarmParameters =
    'code' in result
      ? { code: result.code, state: pushed.state }
      : {
          error: result.error.rule.error,
          error_description: result.error.message,
          state: pushed.state,
        }
  const { privateKey, alg, kid } = bank.keys.signingKey(signingAlg)
  const response = await createJarmResponse({
    issuer: bank.issuer,
    clientId: pushed.clientId,
    now: bank.now(),
    key: { key: privateKey, alg, kid },
    params,
  })
  return appendQuery(pushed.redirectUri, [['response', response]])
}

/** Sends the browser to `location` with 303, never 307 (AS-AZ-10; RFC 9700 section 4.12). */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('location', location).send()
}
