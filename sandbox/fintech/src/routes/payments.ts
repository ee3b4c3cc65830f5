/**
 * Paying someone: a `payment_initiation` authorization (RFC 9396) for exactly this payment, then
 * the payment created at the bank's API with an `Idempotency-Key`, then its status as the bank
 * reports it, read again until it settles or is rejected.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AccountIdentificationSchema } from '@sandbox/spec-types/banking/account-identification'
import { PAYMENT_STATUSES } from '@sandbox/spec-types/banking/payment'
import { embed, StringEnum } from '@sandbox/spec-types/json-schema'
import type { PaymentInitiation } from '@sandbox/spec-types/rar/payment-initiation'
import Type from 'typebox'
import {
  authorizationUrl,
  clientCredentials,
  pushAuthorizationRequest,
  type Tokens,
} from '../client/authorization.js'
import { jsonObject } from '../client/https.js'
import { clientOf, type FintechContext, providerOf, reachBank } from '../context.js'
import { checkCsrf } from '../plugins/session.js'
import { FintechProblem, problems } from '../problems.js'
import {
  addPendingFlow,
  type PaymentRecord,
  type PendingFlow,
  type Session,
} from '../store/sessions.js'
import { emitStep } from '../trace.js'
import { RedirectSchema } from './connect.js'
import { redirectUriFor } from './redirect-uri.js'

const PaymentBody = Type.Object(
  {
    bankId: Type.String({ minLength: 1, maxLength: 40 }),
    amount: Type.String({ pattern: '^(?:0|[1-9][0-9]{0,9})(?:\\.[0-9]{1,2})?$' }),
    creditorName: Type.String({ minLength: 1, maxLength: 70 }),
    creditorAccount: embed(AccountIdentificationSchema),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
    /** The payer's account, when the user chose it here; otherwise they choose at the bank. */
    debtorAccount: Type.Optional(embed(AccountIdentificationSchema)),
  },
  { additionalProperties: false },
)

const PaymentView = Type.Object({
  id: Type.String(),
  bankId: Type.String(),
  bankName: Type.String(),
  status: StringEnum(PAYMENT_STATUSES),
  statusReason: Type.Optional(Type.String()),
  amount: Type.String(),
  currency: Type.String(),
  creditorName: Type.String(),
  reference: Type.Optional(Type.String()),
  createdAt: Type.String(),
  final: Type.Boolean(),
})

const FINAL_STATUSES = new Set(['accepted_settlement_completed', 'rejected'])

/** Two decimals, as ISO 4217 minor units of the sandbox currencies (GBP, EUR, SEK). */
function normaliseAmount(amount: string): string {
  const [units = '0', cents = ''] = amount.split('.')
  return `${units}.${cents.padEnd(2, '0')}`
}

function viewOf(context: FintechContext, record: PaymentRecord) {
  const status = String(record.last.status ?? 'pending') as (typeof PAYMENT_STATUSES)[number]
  return {
    id: record.id,
    bankId: record.bankId,
    bankName: providerOf(context, record.bankId).name,
    status,
    ...(typeof record.last.statusReason === 'string'
      ? { statusReason: record.last.statusReason }
      : {}),
    amount: record.instruction.instructedAmount.amount,
    currency: record.instruction.instructedAmount.currency,
    creditorName: record.instruction.creditorName,
    ...(record.instruction.remittanceInformationUnstructured === undefined
      ? {}
      : { reference: record.instruction.remittanceInformationUnstructured }),
    createdAt: new Date(record.createdAt * 1000).toISOString(),
    final: FINAL_STATUSES.has(status),
  }
}

/**
 * Creates the consented payment at the bank, once: the same `Idempotency-Key` on a retry returns
 * the same payment (no second debit).
 * @throws FintechProblem when the bank refuses it
 */
export async function finishPayment(
  context: FintechContext,
  session: Session,
  flow: PendingFlow,
  tokens: Tokens,
): Promise<PaymentRecord> {
  if (flow.purpose.kind !== 'payment') throw new TypeError('not a payment flow')
  const client = clientOf(context, flow.pending.bankId)
  const { provider } = client
  const { debtorAccount: _chosenAtConsent, ...instruction } = flow.purpose.instruction
  const url = `${provider.apiBaseUrl}/payments`
  const idempotencyKey = context.randomId()
  const res = await reachBank(provider, async () => {
    const send = () =>
      client.resource('POST', url, tokens.accessToken, {
        body: instruction,
        headers: { 'idempotency-key': idempotencyKey },
      })
    const first = await send()
    // A lost answer is safe to ask again: the key makes it the same payment.
    return first.status >= 500 ? send() : first
  })
  const body = jsonObject(res)
  if (res.status !== 201 || typeof body?.paymentId !== 'string') {
    const detail = typeof body?.detail === 'string' ? body.detail : `it answered ${res.status}`
    throw problems.bankRefused(provider.name, provider.id, `The payment was not created: ${detail}`)
  }
  const record: PaymentRecord = {
    id: context.randomId(),
    bankId: provider.id,
    url: res.headers.location ?? `${url}/${body.paymentId}`,
    paymentId: body.paymentId,
    accessToken: tokens.accessToken,
    accessExpiresAt: tokens.accessExpiresAt,
    instruction: flow.purpose.instruction,
    last: body,
    createdAt: context.seconds(),
  }
  session.payments.set(record.id, record)
  return record
}

/**
 * The payment's status from the bank: with its own token while that lives, then with an
 * application token (client credentials), which may read the payments the app initiated.
 */
async function readStatus(context: FintechContext, record: PaymentRecord): Promise<void> {
  const client = clientOf(context, record.bankId)
  const { provider } = client
  await reachBank(provider, async () => {
    const fresh =
      record.accessExpiresAt === undefined || record.accessExpiresAt > context.seconds() + 5
    let res = fresh ? await client.resource('GET', record.url, record.accessToken) : undefined
    if (res === undefined || res.status === 401) {
      const app = await clientCredentials(client, 'payments', context.seconds)
      record.accessToken = app.accessToken
      record.accessExpiresAt = app.accessExpiresAt
      res = await client.resource('GET', record.url, record.accessToken)
    }
    const body = jsonObject(res)
    if (res.status === 200 && body !== undefined) record.last = body
  })
}

export function paymentRoutes(context: FintechContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/payments',
      { schema: { body: PaymentBody, response: { 200: RedirectSchema } } },
      async (request) => {
        checkCsrf(request)
        const body = request.body
        const client = clientOf(context, body.bankId)
        const { provider } = client
        const instruction: Omit<PaymentInitiation, 'type'> = {
          instructedAmount: { amount: normaliseAmount(body.amount), currency: provider.currency },
          creditorName: body.creditorName,
          creditorAccount: body.creditorAccount,
          ...(body.debtorAccount === undefined ? {} : { debtorAccount: body.debtorAccount }),
          ...(body.reference === undefined
            ? {}
            : { remittanceInformationUnstructured: body.reference }),
        }
        if (Number(instruction.instructedAmount.amount) <= 0) {
          throw new FintechProblem(400, 'Check the amount', 'The amount must be more than zero.')
        }
        const pending = await reachBank(provider, () =>
          pushAuthorizationRequest(
            client,
            {
              redirectUri: redirectUriFor(context.config, request),
              scope: 'openid payments',
              authorizationDetails: [{ type: 'payment_initiation', ...instruction }],
            },
            context.seconds(),
          ),
        )
        addPendingFlow(request.session, {
          pending,
          purpose: { kind: 'payment', instruction },
        })
        emitStep(context, {
          flowId: pending.interactionId,
          bankId: provider.id,
          step: 'pay',
          method: 'POST',
          path: '/api/payments',
          status: 200,
        })
        return { redirectTo: await authorizationUrl(client, pending) }
      },
    )

    app.get(
      '/api/payments',
      { schema: { response: { 200: Type.Object({ payments: Type.Array(PaymentView) }) } } },
      async (request) => ({
        payments: [...request.session.payments.values()]
          .sort((a, b) => b.createdAt - a.createdAt)
          .map((record) => viewOf(context, record)),
      }),
    )

    app.get(
      '/api/payments/:id',
      {
        schema: {
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: PaymentView },
        },
      },
      async (request) => {
        const record = request.session.payments.get(request.params.id)
        if (record === undefined) throw problems.notFound('payment')
        if (!FINAL_STATUSES.has(String(record.last.status))) await readStatus(context, record)
        return viewOf(context, record)
      },
    )
  }
}
