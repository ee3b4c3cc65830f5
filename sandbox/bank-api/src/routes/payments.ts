/**
 * Payment initiation: a payment token's consented payment, initiated once, idempotently, and then
 * followed through its status lifecycle. The request must match the consented
 * `payment_initiation` details exactly (RFC 9396 section 9; yardstick RS-13); an `Idempotency-Key`
 * makes retries safe (the IETF Idempotency-Key draft): the same key and body give the same
 * payment and no second debit, the same key with another body is 422.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AccountIdentification } from '@sandbox/spec-types/banking/account-identification'
import type { CurrencyCode } from '@sandbox/spec-types/banking/currency'
import {
  type PaymentRequest,
  PaymentRequestSchema,
  PaymentSchema,
} from '@sandbox/spec-types/banking/payment'
import { canonicalJson } from '@sandbox/spec-types/canonical-json'
import type { PaymentInitiation } from '@sandbox/spec-types/rar/payment-initiation'
import { parseDecimalAmount } from '@sandbox/store/money'
import { accountIdentificationsOf } from '@sandbox/store/repositories/accounts'
import { paymentResourceOf } from '@sandbox/store/repositories/payments'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { type Caller, consentedPayment } from '../access/authorize.js'
import { ApiProblem, ApiProblemSchema } from '../problem.js'
import { apiRules } from '../rules.js'

const PROBLEMS = { '4xx': ApiProblemSchema } as const

/** Draft section 2.1: an sf-string; the bare form many APIs use is accepted too. */
const IDEMPOTENCY_KEY = /^"?([\x21\x23-\x5B\x5D-\x7E ]{1,255})"?$/

function idempotencyKeyOf(request: FastifyRequest): string {
  const header = request.headers['idempotency-key']
  const match = typeof header === 'string' ? IDEMPOTENCY_KEY.exec(header) : null
  const key = match?.[1]?.trim()
  if (key === undefined || key === '') {
    throw new ApiProblem(
      apiRules.idempotencyKeyMissing,
      header === undefined ? 'none was sent' : 'the header is not a valid key',
    )
  }
  return key
}

/** The instruction members in the order the problem detail names them. */
function mismatchOf(payment: PaymentRequest, consented: PaymentInitiation): string | undefined {
  const currency = consented.instructedAmount.currency as CurrencyCode
  const amountOf = (amount: { amount: string; currency: string }) =>
    amount.currency === currency ? parseDecimalAmount(amount.amount, currency) : Number.NaN
  if (
    payment.instructedAmount.currency !== currency ||
    amountOf(payment.instructedAmount) !== amountOf(consented.instructedAmount)
  ) {
    return `instructedAmount ${payment.instructedAmount.amount} ${payment.instructedAmount.currency} is not the consented ${consented.instructedAmount.amount} ${currency}`
  }
  if (payment.creditorName !== consented.creditorName) return 'creditorName differs'
  if (canonicalJson(payment.creditorAccount) !== canonicalJson(consented.creditorAccount)) {
    return 'creditorAccount differs'
  }
  if (
    payment.debtorAccount !== undefined &&
    canonicalJson(payment.debtorAccount) !== canonicalJson(consented.debtorAccount)
  ) {
    return 'debtorAccount differs'
  }
  if (payment.remittanceInformationUnstructured !== consented.remittanceInformationUnstructured) {
    return 'remittanceInformationUnstructured differs'
  }
  if (payment.requestedExecutionDate !== consented.requestedExecutionDate) {
    return 'requestedExecutionDate differs'
  }
  return undefined
}

/** The customer's account the consent names as the payer. */
async function debtorAccountId(
  request: FastifyRequest,
  customerId: string,
  consented: AccountIdentification | undefined,
): Promise<string> {
  const wanted = consented === undefined ? undefined : canonicalJson(consented)
  const accounts = await request.bank.store.accounts.listForCustomer(customerId)
  const account = accounts.find((a) =>
    accountIdentificationsOf(a).some((identification) => canonicalJson(identification) === wanted),
  )
  if (account === undefined) {
    throw new ApiProblem(
      apiRules.paymentMismatch,
      'the consented debtorAccount is not an account of this customer',
    )
  }
  return account.id
}

/** A token that may read payments: the payment token that made one, or client_credentials. */
function requirePaymentReader(caller: Caller): void {
  const scopes = caller.claims.scope?.split(' ') ?? []
  const clientToken = caller.grant === undefined && scopes.includes('payments')
  const paymentToken = caller.claims.authorization_details?.some(
    (detail) => detail.type === 'payment_initiation',
  )
  if (!clientToken && paymentToken !== true) {
    throw new ApiProblem(
      apiRules.paymentNotGranted,
      'reading a payment needs a client_credentials token with scope payments, or the payment token',
      'payments',
    )
  }
}

export const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/:bank/payments',
    {
      schema: {
        summary: 'Initiate the consented payment',
        params: Type.Object({ bank: Type.String() }),
        headers: Type.Object({
          'idempotency-key': Type.Optional(
            Type.String({
              description:
                'A string of 1 to 255 characters; the same key and body give the same payment',
            }),
          ),
        }),
        body: PaymentRequestSchema,
        response: { 201: PaymentSchema, ...PROBLEMS },
      },
    },
    async (request, reply) => {
      const { caller } = request
      const consented = consentedPayment(caller)
      const grant = caller.grant
      if (grant === undefined) throw new ApiProblem(apiRules.paymentNotGranted)
      request.trace.pass(apiRules.paymentNotGranted)
      const idempotencyKey = idempotencyKeyOf(request)
      const mismatch = mismatchOf(request.body, consented)
      if (mismatch !== undefined) throw new ApiProblem(apiRules.paymentMismatch, mismatch)
      request.trace.pass(apiRules.paymentMismatch)
      const { bank } = request
      const result = await bank.store.payments.initiate(
        {
          id: `pay_${randomBytes(16).toString('base64url')}`,
          grantId: grant.id,
          clientId: caller.clientId,
          customerId: grant.customerId,
          debtorAccountId: await debtorAccountId(
            request,
            grant.customerId,
            consented.debtorAccount,
          ),
          // What was consented, with the debtor the consent named even when the request omits it.
          instruction: { ...request.body, debtorAccount: consented.debtorAccount },
          idempotencyKey,
          requestHash: createHash('sha256').update(canonicalJson(request.body)).digest('base64url'),
        },
        bank.now(),
      )
      switch (result.kind) {
        case 'idempotency_conflict':
          throw new ApiProblem(
            apiRules.idempotencyKeyReused,
            `payment ${result.payment.id} was made with it`,
          )
        case 'already_executed':
          throw new ApiProblem(
            apiRules.paymentAlreadyExecuted,
            `the consent made payment ${result.payment.id}`,
          )
      }
      request.trace.pass(apiRules.idempotencyKeyReused)
      request.trace.pass(apiRules.paymentAlreadyExecuted)
      // A replay answers what the first request got (draft section 2.6): 201 and the payment.
      return reply
        .code(201)
        .header('location', `${bank.baseUrl}/payments/${result.payment.id}`)
        .send(paymentResourceOf(result.payment))
    },
  )

  app.get(
    '/:bank/payments/:paymentId',
    {
      schema: {
        summary: 'Read a payment and its status',
        params: Type.Object({
          bank: Type.String(),
          paymentId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
        }),
        response: { 200: PaymentSchema, ...PROBLEMS },
      },
    },
    async (request) => {
      const { caller } = request
      requirePaymentReader(caller)
      const { bank } = request
      const { paymentId } = request.params
      const own = await bank.store.payments.getForClient(paymentId, caller.clientId)
      if (own === undefined || (caller.grant !== undefined && own.grantId !== caller.grant.id)) {
        throw new ApiProblem(apiRules.notFound, `no payment ${paymentId} of this client`)
      }
      request.trace.pass(apiRules.notFound)
      // The lifecycle moves with time; reading it applies every step that is due.
      const payment = (await bank.store.payments.advance(paymentId, bank.now())) ?? own
      return paymentResourceOf(payment)
    },
  )
}
