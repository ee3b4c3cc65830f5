/**
 * The resource server's own rejections, answered as RFC 9457 problem documents: what the token
 * permits (FAPI 2.0 SP 5.3.4-4, RFC 9396 section 9), what exists for it (RFC 9110 section
 * 15.5.4), idempotent payments (the IETF Idempotency-Key draft) and malformed requests. The access
 * token and its proof are checked by the kit's `resource…` and `dpop…` rules.
 * Ids are rows of the FAPI 2.0 yardstick where one fits (RS-05, RS-13, RS-15); RS-API-… rows are
 * the sandbox's own, listed in docs/bank-api.md.
 */
import type { Clause, OAuthErrorCode } from '@sandbox/fapi/errors/oauth-error'

/** One rule of the API: its yardstick row, its HTTP answer and the clause it cites. */
export interface ApiRule {
  readonly id: string
  readonly status: number
  /** RFC 9457 section 3.1.3: a short summary of the problem type, the same for every occurrence. */
  readonly title: string
  readonly clause: Clause
  /** Printable ASCII without `"` and `\`, like every error description of the sandbox. */
  readonly summary: string
  /** The RFC 6750 error code a 403 also states in its challenge. */
  readonly error?: OAuthErrorCode
  readonly related?: readonly string[]
}

const SP = 'FAPI 2.0 SP' as const
const IDEMPOTENCY = 'draft-ietf-httpapi-idempotency-key-header-07' as const

export const apiRules = {
  dataKindNotGranted: {
    id: 'RS-05',
    status: 403,
    title: 'Permission not granted',
    error: 'insufficient_scope',
    clause: { spec: SP, section: '5.3.4', item: 4 },
    summary: 'the access token must be granted the action this request needs on this account',
  },
  accountNotGranted: {
    id: 'RS-05',
    status: 403,
    title: 'Account not granted',
    error: 'insufficient_scope',
    clause: { spec: 'RFC 9396', section: '9' },
    summary: 'the account must be one the user chose when consenting',
  },
  paymentNotGranted: {
    id: 'RS-05',
    status: 403,
    title: 'Payment not granted',
    error: 'insufficient_scope',
    clause: { spec: SP, section: '5.3.4', item: 4 },
    summary:
      'initiating a payment needs a token granted payment_initiation details, reading one a token of the client that made it',
  },
  paymentMismatch: {
    id: 'RS-13',
    status: 403,
    title: 'Payment differs from consent',
    error: 'insufficient_scope',
    clause: { spec: 'RFC 9396', section: '9' },
    summary:
      'the payment must match the consented payment_initiation details exactly: amount, currency, creditor, debtor, remittance and date',
  },
  paymentAlreadyExecuted: {
    id: 'RS-13',
    status: 403,
    title: 'Consent already used',
    error: 'insufficient_scope',
    clause: { spec: 'RFC 9396', section: '9' },
    summary: 'a consent to a single payment initiates exactly one payment',
  },
  notFound: {
    id: 'RS-API-01',
    status: 404,
    title: 'Not found',
    clause: { spec: 'RFC 9110', section: '15.5.4' },
    summary:
      "the resource must be the customer's (a payment: the client's); the bank does not say whether it exists for anyone else",
  },
  idempotencyKeyMissing: {
    id: 'RS-API-02',
    status: 400,
    title: 'Idempotency-Key required',
    clause: { spec: IDEMPOTENCY, section: '2.7' },
    summary:
      'a payment request needs an Idempotency-Key header, a string of 1 to 255 printable characters',
  },
  idempotencyKeyReused: {
    id: 'RS-API-03',
    status: 422,
    title: 'Idempotency-Key reused',
    clause: { spec: IDEMPOTENCY, section: '2.7' },
    summary: 'an Idempotency-Key may be sent again only with the same request body',
  },
  malformedRequest: {
    id: 'RS-API-04',
    status: 400,
    title: 'Malformed request',
    clause: { spec: 'RFC 9110', section: '15.5.1' },
    summary: 'the request does not match the API description',
  },
  unsupportedMediaType: {
    id: 'RS-API-05',
    status: 415,
    title: 'Unsupported media type',
    clause: { spec: 'RFC 9110', section: '15.5.16' },
    summary: 'request bodies must be application/json',
  },
  interactionIdMalformed: {
    id: 'RS-15',
    status: 400,
    title: 'Malformed x-fapi-interaction-id',
    clause: { spec: 'RFC 9562', section: '4' },
    summary: 'x-fapi-interaction-id must be a UUID (FAPI 1.0 Part 1 6.2.1-11)',
  },
  unknownBank: {
    id: 'RS-API-06',
    status: 404,
    title: 'Unknown bank',
    clause: { spec: 'RFC 9110', section: '15.5.5' },
    summary: 'the first path segment must name a bank hosted here',
  },
} as const satisfies Record<string, ApiRule>
