/**
 * Connecting a bank: the user's choice of what to share becomes `account_information`
 * authorization details (RFC 9396), pushed to the bank (RFC 9126) from the back end; the browser
 * is sent to the bank with `client_id` and `request_uri` only. The callback (callback.ts) finishes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { StringEnum } from '@sandbox/spec-types/json-schema'
import { ACCOUNT_INFORMATION_ACTIONS } from '@sandbox/spec-types/rar/account-information'
import Type from 'typebox'
import { authorizationUrl, pushAuthorizationRequest } from '../client/authorization.js'
import { clientOf, type FintechContext, reachBank } from '../context.js'
import { checkCsrf } from '../plugins/session.js'
import { addPendingFlow, type Connection, type FlowPurpose } from '../store/sessions.js'
import { emitStep } from '../trace.js'
import { redirectUriFor } from './redirect-uri.js'

/** How long access may last, as the app offers it (the bank may grant less). */
export const ACCESS_DURATIONS_DAYS = [1, 7, 30, 90] as const

const ConnectBody = Type.Object(
  {
    bankId: Type.String({ minLength: 1, maxLength: 40 }),
    /** list_accounts is always added: the app shows data by account. */
    actions: Type.Array(StringEnum(ACCOUNT_INFORMATION_ACTIONS), { uniqueItems: true }),
    durationDays: Type.Union(ACCESS_DURATIONS_DAYS.map((days) => Type.Literal(days))),
  },
  { additionalProperties: false },
)

export const RedirectSchema = Type.Object({ redirectTo: Type.String() })

/** The day `days` from `seconds`, at the end of that day UTC, as RFC 3339. */
function accessEnd(seconds: number, days: number): string {
  const end = new Date((seconds + days * 86_400) * 1000)
  end.setUTCHours(23, 59, 59, 0)
  return end.toISOString().replace('.000Z', 'Z')
}

export function connectRoutes(context: FintechContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/connections',
      { schema: { body: ConnectBody, response: { 200: RedirectSchema } } },
      async (request) => {
        checkCsrf(request)
        const { bankId, actions, durationDays } = request.body
        const client = clientOf(context, bankId)
        // list_accounts comes with any other action: the app shows data by account.
        const wanted = [...new Set(['list_accounts', ...actions])]
        const purpose: FlowPurpose = { kind: 'connect', request: { actions: wanted, durationDays } }
        const pending = await reachBank(client.provider, () =>
          pushAuthorizationRequest(
            client,
            {
              redirectUri: redirectUriFor(context.config, request),
              scope: 'openid accounts',
              authorizationDetails: [
                {
                  type: 'account_information',
                  actions: wanted,
                  expiresAt: accessEnd(context.seconds(), durationDays),
                },
              ],
            },
            context.seconds(),
          ),
        )
        addPendingFlow(request.session, { pending, purpose })
        emitStep(context, {
          flowId: pending.interactionId,
          bankId,
          step: 'connect',
          method: 'POST',
          path: '/api/connections',
          status: 200,
        })
        return { redirectTo: await authorizationUrl(client, pending) }
      },
    )
  }
}

/** The connection a token response creates: the actions and accounts the bank granted. */
export function connectionOf(
  context: FintechContext,
  bankId: string,
  tokens: Connection['tokens'],
  requested: readonly string[],
): Connection {
  const granted = (tokens.authorizationDetails ?? []).filter(
    (detail) => detail.type === 'account_information',
  )
  const actions = new Set<string>()
  const accounts = new Set<string>()
  let expiresAt: number | undefined
  for (const detail of granted as Array<Record<string, unknown>>) {
    for (const action of (detail.actions as string[] | undefined) ?? []) actions.add(action)
    for (const account of (detail.accounts as string[] | undefined) ?? []) accounts.add(account)
    const end = typeof detail.expiresAt === 'string' ? Date.parse(detail.expiresAt) : Number.NaN
    if (!Number.isNaN(end)) expiresAt = Math.min(expiresAt ?? Infinity, Math.floor(end / 1000))
  }
  return {
    id: context.randomId(),
    bankId,
    status: 'active',
    connectedAt: context.seconds(),
    tokens,
    // A bank that does not echo what it granted (RFC 9396 section 7 lets it) granted what was asked.
    actions: actions.size > 0 ? [...actions] : [...requested],
    accounts: [...accounts],
    expiresAt,
  }
}
