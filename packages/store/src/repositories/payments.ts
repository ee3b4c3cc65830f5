/**
 * Payments initiated under a `payment_initiation` grant (RFC 9396): idempotent creation, the
 * sandbox's settlement lifecycle in ISO 20022 statuses, and the debit a completed payment books.
 */
import type { AccountIdentification } from '@sandbox/spec-types/banking/account-identification'
import type { CurrencyCode } from '@sandbox/spec-types/banking/currency'
import type { Payment, PaymentRequest, PaymentStatus } from '@sandbox/spec-types/banking/payment'
import type { Executor } from '../database.js'
import { formatMinorUnits, type MinorUnits, parseDecimalAmount } from '../money.js'
import { createTransactionRepository, transactionIdOf } from './transactions.js'

/** Sandbox policy: seconds a payment stays `pending` (PDNG) before the bank's checks accept it (ACSP). */
export const PAYMENT_ACCEPTANCE_DELAY_SECONDS = 1

/** Sandbox policy: seconds from acceptance (ACSP) until settlement completes (ACSC) and the debit books. */
export const PAYMENT_SETTLEMENT_DELAY_SECONDS = 2

/** How long each step of a payment's lifecycle takes; tests and demos may shorten or stretch it. */
export interface PaymentLifecycle {
  /** From creation to the acceptance checks: `pending` → `accepted_settlement_in_process`. */
  acceptanceDelaySeconds: number
  /** From acceptance to settlement: `accepted_settlement_in_process` → `accepted_settlement_completed`. */
  settlementDelaySeconds: number
}

export const DEFAULT_PAYMENT_LIFECYCLE: Readonly<PaymentLifecycle> = {
  acceptanceDelaySeconds: PAYMENT_ACCEPTANCE_DELAY_SECONDS,
  settlementDelaySeconds: PAYMENT_SETTLEMENT_DELAY_SECONDS,
}

/**
 * The `statusReason` of a rejected payment: the ISO 20022 ExternalStatusReason1Code first, then
 * words a developer can act on. The debtor's balance is never disclosed to the client.
 */
export const PAYMENT_REJECTION_REASONS = {
  accountClosed: 'AC04 ClosedAccountNumber: the debtor account is closed',
  insufficientFunds:
    'AM04 InsufficientFunds: the available balance of the debtor account does not cover the instructed amount',
  currencyMismatch:
    'AM03 NotAllowedCurrency: the instructed currency is not the currency of the debtor account',
} as const

/** How the debit of a completed payment appears in the ledger, as the seed books a payment to a person. */
const DEBIT_KIND = 'credit_transfer'
const DEBIT_CATEGORY = 'payments'

/** A payment as the bank stores it: the consented instruction in minor units, plus its progress. */
export interface PaymentRecord {
  /** The public `paymentId`. */
  id: string
  grantId: string
  clientId: string
  customerId: string
  debtorAccountId: string
  amount: MinorUnits
  currency: CurrencyCode
  creditorName: string
  creditorAccount: AccountIdentification
  /** As the consent named it; absent when the user picked the account on the consent page. */
  debtorAccount?: AccountIdentification | undefined
  remittanceInformationUnstructured?: string | undefined
  requestedExecutionDate?: string | undefined
  status: PaymentStatus
  /** Present exactly when `status` is `rejected`; one of {@link PAYMENT_REJECTION_REASONS}. */
  statusReason?: string | undefined
  /** ISO 8601 UTC, second precision: '2026-10-31T14:05:00Z'. */
  createdAt: string
  statusUpdatedAt: string
  idempotencyKey: string
  requestHash: string
  /** The booked debit on the debtor account (`tx_…`); present exactly when completed. */
  debitTransactionId?: string | undefined
}

/** What the resource server knows when a client posts a payment. */
export interface PaymentInitiationInput {
  /** The new payment's public id, chosen by the caller ('pay_' and a sortable random part). */
  id: string
  /** The `payment_initiation` grant the access token belongs to; it executes at most once. */
  grantId: string
  clientId: string
  customerId: string
  /** The bank's id of the account to debit, resolved from the grant. */
  debtorAccountId: string
  /** The instruction as consented (the request body, already compared with the grant). */
  instruction: PaymentRequest
  /** The client's `x-idempotency-key`; its scope is the client. */
  idempotencyKey: string
  /**
   * A digest of the request body, computed by the caller (e.g. SHA-256 of the body's canonical
   * JSON): a replay must carry the same body, so the same key with another digest is a conflict.
   */
  requestHash: string
}

/** The outcome of {@link PaymentRepository.initiate}; every kind carries the payment concerned. */
export type PaymentInitiationResult =
  /** A new payment, `pending`. */
  | { kind: 'created'; payment: PaymentRecord }
  /** The client's key and body were seen before: the original payment, nothing created or debited. */
  | { kind: 'replayed'; payment: PaymentRecord }
  /** The client's key was seen before with another body: the original payment, which is unchanged. */
  | { kind: 'idempotency_conflict'; payment: PaymentRecord }
  /** The grant already executed its one payment (under another key): that payment. */
  | { kind: 'already_executed'; payment: PaymentRecord }

export interface PaymentRepositoryOptions {
  lifecycle?: Partial<PaymentLifecycle>
}

interface PaymentRow {
  id: string
  grant_id: string
  client_id: string
  customer_id: string
  debtor_account_id: string
  amount: number
  currency: CurrencyCode
  creditor_name: string
  creditor_account: string
  debtor_account: string | null
  remittance_information: string | null
  requested_execution_date: string | null
  status: PaymentStatus
  status_reason: string | null
  created_at: string
  status_updated_at: string
  idempotency_key: string
  request_hash: string
  debit_transaction_seq: number | null
}

function toRecord(row: PaymentRow): PaymentRecord {
  return {
    id: row.id,
    grantId: row.grant_id,
    clientId: row.client_id,
    customerId: row.customer_id,
    debtorAccountId: row.debtor_account_id,
    amount: row.amount,
    currency: row.currency,
    creditorName: row.creditor_name,
    creditorAccount: JSON.parse(row.creditor_account) as AccountIdentification,
    debtorAccount:
      row.debtor_account === null
        ? undefined
        : (JSON.parse(row.debtor_account) as AccountIdentification),
    remittanceInformationUnstructured: row.remittance_information ?? undefined,
    requestedExecutionDate: row.requested_execution_date ?? undefined,
    status: row.status,
    statusReason: row.status_reason ?? undefined,
    createdAt: row.created_at,
    statusUpdatedAt: row.status_updated_at,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    debitTransactionId:
      row.debit_transaction_seq === null ? undefined : transactionIdOf(row.debit_transaction_seq),
  }
}

/** The payment as `GET /payments/{paymentId}` returns it (PaymentSchema), amounts back in decimal. */
export function paymentResourceOf(payment: PaymentRecord): Payment {
  return {
    paymentId: payment.id,
    status: payment.status,
    ...(payment.statusReason === undefined ? {} : { statusReason: payment.statusReason }),
    instructedAmount: {
      amount: formatMinorUnits(payment.amount, payment.currency),
      currency: payment.currency,
    },
    creditorName: payment.creditorName,
    creditorAccount: payment.creditorAccount,
    ...(payment.debtorAccount === undefined ? {} : { debtorAccount: payment.debtorAccount }),
    ...(payment.remittanceInformationUnstructured === undefined
      ? {}
      : { remittanceInformationUnstructured: payment.remittanceInformationUnstructured }),
    ...(payment.requestedExecutionDate === undefined
      ? {}
      : { requestedExecutionDate: payment.requestedExecutionDate }),
    createdAt: payment.createdAt,
    statusUpdatedAt: payment.statusUpdatedAt,
  }
}

/** Unix seconds as the ledger writes time: ISO 8601 UTC, second precision. */
function isoSeconds(seconds: number): string {
  return `${new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 19)}Z`
}

function secondsOf(iso: string): number {
  return Date.parse(iso) / 1000
}

/** The counterparty account as the seed writes it on a statement line. */
function accountLabel(account: AccountIdentification): string {
  return account.scheme === 'IBAN' ? account.iban : `${account.sortCode} ${account.accountNumber}`
}

function checkDelay(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number of seconds, 0 or more, got ${value}`)
  }
  return value
}

/**
 * Payments of one bank. Every state change runs in one transaction (BEGIN IMMEDIATE at top level,
 * a savepoint when `db` is already a transaction), so two callers never both act on one payment
 * and a funds check is never separated from the debit it allows.
 */
export function createPaymentRepository(db: Executor, options: PaymentRepositoryOptions = {}) {
  const lifecycle: PaymentLifecycle = {
    acceptanceDelaySeconds: checkDelay(
      'acceptanceDelaySeconds',
      options.lifecycle?.acceptanceDelaySeconds ?? PAYMENT_ACCEPTANCE_DELAY_SECONDS,
    ),
    settlementDelaySeconds: checkDelay(
      'settlementDelaySeconds',
      options.lifecycle?.settlementDelaySeconds ?? PAYMENT_SETTLEMENT_DELAY_SECONDS,
    ),
  }

  async function read(executor: Executor, id: string): Promise<PaymentRecord | undefined> {
    const row = await executor.get<PaymentRow>(
      { purpose: 'read payment', sql: 'SELECT * FROM payments WHERE id = ?' },
      [id],
    )
    return row === undefined ? undefined : toRecord(row)
  }

  /** Why the debtor account cannot pay now, or its booked balance when it can. */
  async function check(
    tx: Executor,
    payment: PaymentRecord,
  ): Promise<{ refused: string } | { booked: MinorUnits }> {
    const account = await tx.get<{ status: string; currency: string }>(
      { purpose: 'read debtor account', sql: 'SELECT status, currency FROM accounts WHERE id = ?' },
      [payment.debtorAccountId],
    )
    if (account === undefined || account.status !== 'enabled') {
      return { refused: PAYMENT_REJECTION_REASONS.accountClosed }
    }
    if (account.currency !== payment.currency) {
      return { refused: PAYMENT_REJECTION_REASONS.currencyMismatch }
    }
    // The same available balance the account API shows: booked − pending debits + credit limit.
    const balances = await createTransactionRepository(tx).balances(payment.debtorAccountId)
    if (balances === undefined || balances.available < payment.amount) {
      return { refused: PAYMENT_REJECTION_REASONS.insufficientFunds }
    }
    return { booked: balances.booked }
  }

  async function setStatus(
    tx: Executor,
    payment: PaymentRecord,
    status: PaymentStatus,
    at: string,
    extra: { statusReason?: string; debitSeq?: number } = {},
  ): Promise<void> {
    const result = await tx.run(
      {
        purpose: `move payment to ${status}`,
        sql: `UPDATE payments SET status = ?, status_reason = ?, status_updated_at = ?,
            debit_transaction_seq = ? WHERE id = ? AND status = ?`,
      },
      [status, extra.statusReason ?? null, at, extra.debitSeq ?? null, payment.id, payment.status],
    )
    // Unreachable while the caller holds the transaction; a guard against a lost update.
    if (result.changes !== 1) {
      throw new Error(
        `payment ${payment.id} was no longer '${payment.status}' when moved to '${status}'`,
      )
    }
  }

  /**
   * Books the payment's debit and returns its seq and booking time. The running balance follows
   * from the booked sum just checked in the same transaction (so the ledger reconciles by
   * construction: the latest running balance is the sum of the booked rows), and the booking time never
   * precedes the account's latest booked row, so balances read in booking order stay a chain
   * even when a late tick settles a payment that was due before another one already booked.
   */
  async function postDebit(
    tx: Executor,
    payment: PaymentRecord,
    booked: MinorUnits,
    due: string,
  ): Promise<{ seq: number; bookedAt: string }> {
    const latest = await tx.get<{ at: string }>(
      {
        purpose: 'read latest booking time of an account',
        sql: `SELECT booking_date_time AS at FROM transactions
            WHERE account_id = ? AND status = 'booked' ORDER BY booking_date_time DESC LIMIT 1`,
      },
      [payment.debtorAccountId],
    )
    const bookedAt = latest !== undefined && latest.at > due ? latest.at : due
    const next = await tx.get<{ seq: number }>({
      purpose: 'next transaction seq',
      sql: 'SELECT coalesce(max(seq), -1) + 1 AS seq FROM transactions',
    })
    const seq = next?.seq ?? 0
    await tx.run(
      {
        purpose: 'book payment debit',
        sql: `INSERT INTO transactions (seq, account_id, booking_date_time, value_date_time, amount,
            credit_debit, status, kind, description, category, counterparty_name,
            counterparty_account, reference, balance_after)
          VALUES (?, ?, ?, ?, ?, 'debit', 'booked', ?, ?, ?, ?, ?, ?, ?)`,
      },
      [
        seq,
        payment.debtorAccountId,
        bookedAt,
        bookedAt,
        payment.amount,
        DEBIT_KIND,
        payment.creditorName,
        DEBIT_CATEGORY,
        payment.creditorName,
        accountLabel(payment.creditorAccount),
        payment.remittanceInformationUnstructured ?? null,
        booked - payment.amount,
      ],
    )
    return { seq, bookedAt }
  }

  /** When the payment's next transition falls due (Unix seconds), or undefined once it is final. */
  function nextDue(payment: PaymentRecord): number | undefined {
    const acceptDue = secondsOf(payment.createdAt) + lifecycle.acceptanceDelaySeconds
    if (payment.status === 'pending') return acceptDue
    if (payment.status === 'accepted_settlement_in_process') {
      return acceptDue + lifecycle.settlementDelaySeconds
    }
    return undefined
  }

  /**
   * Applies, in order, every transition of one payment due by `now`. Each is stamped with the
   * time it fell due on the sandbox's schedule, not the time someone looked, so the history is
   * the same whether a GET or the ticker found it. The checks run at each step: acceptance
   * refuses what cannot be paid at all, settlement re-checks because other payments may have
   * spent the funds meanwhile, and books the debit in the same transaction as its check.
   */
  async function advanceIn(
    tx: Executor,
    id: string,
    now: number,
  ): Promise<{ payment: PaymentRecord; changed: boolean } | undefined> {
    let payment = await read(tx, id)
    if (payment === undefined) return undefined
    const before = payment.status
    let due = nextDue(payment)
    while (due !== undefined && due <= now) {
      const at = isoSeconds(due)
      const checked = await check(tx, payment)
      if ('refused' in checked) {
        await setStatus(tx, payment, 'rejected', at, { statusReason: checked.refused })
      } else if (payment.status === 'pending') {
        await setStatus(tx, payment, 'accepted_settlement_in_process', at)
      } else {
        const debit = await postDebit(tx, payment, checked.booked, at)
        await setStatus(tx, payment, 'accepted_settlement_completed', debit.bookedAt, {
          debitSeq: debit.seq,
        })
      }
      payment = (await read(tx, id)) as PaymentRecord
      due = nextDue(payment)
    }
    return { payment, changed: payment.status !== before }
  }

  return {
    /** The lifecycle this repository applies, after defaults. */
    lifecycle: Object.freeze({ ...lifecycle }),

    /**
     * Records a new payment, or says why not, in one transaction: the idempotency key is looked up
     * first (a retried POST is answered with its original payment, never a second one), then the
     * grant (a single-payment consent executes once). UNIQUE (client_id, idempotency_key) and
     * UNIQUE (grant_id) back both rules in the schema.
     * @param now Unix seconds; `createdAt` and the lifecycle start here.
     * @throws RangeError when the instructed amount has more precision than its currency allows.
     */
    async initiate(input: PaymentInitiationInput, now: number): Promise<PaymentInitiationResult> {
      const { instructedAmount } = input.instruction
      const amount = parseDecimalAmount(instructedAmount.amount, instructedAmount.currency)
      const createdAt = isoSeconds(now)
      return db.transaction(async (tx) => {
        const byKey = await tx.get<PaymentRow>(
          {
            purpose: 'find payment by idempotency key',
            sql: 'SELECT * FROM payments WHERE client_id = ? AND idempotency_key = ?',
          },
          [input.clientId, input.idempotencyKey],
        )
        if (byKey !== undefined) {
          return {
            kind: byKey.request_hash === input.requestHash ? 'replayed' : 'idempotency_conflict',
            payment: toRecord(byKey),
          }
        }
        const byGrant = await tx.get<PaymentRow>(
          { purpose: 'find payment of a grant', sql: 'SELECT * FROM payments WHERE grant_id = ?' },
          [input.grantId],
        )
        if (byGrant !== undefined) return { kind: 'already_executed', payment: toRecord(byGrant) }
        const { instruction } = input
        await tx.run(
          {
            purpose: 'insert payment',
            sql: `INSERT INTO payments (id, grant_id, client_id, customer_id, debtor_account_id,
                amount, currency, creditor_name, creditor_account, debtor_account,
                remittance_information, requested_execution_date, status, created_at,
                status_updated_at, idempotency_key, request_hash)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
          },
          [
            input.id,
            input.grantId,
            input.clientId,
            input.customerId,
            input.debtorAccountId,
            amount,
            instructedAmount.currency,
            instruction.creditorName,
            JSON.stringify(instruction.creditorAccount),
            instruction.debtorAccount === undefined
              ? null
              : JSON.stringify(instruction.debtorAccount),
            instruction.remittanceInformationUnstructured ?? null,
            instruction.requestedExecutionDate ?? null,
            createdAt,
            createdAt,
            input.idempotencyKey,
            input.requestHash,
          ],
        )
        return { kind: 'created', payment: (await read(tx, input.id)) as PaymentRecord }
      })
    },

    /** A payment as stored, whoever made it; for the bank's own pages and the console. */
    get(id: string): Promise<PaymentRecord | undefined> {
      return read(db, id)
    },

    /**
     * A payment as its client may see it: undefined when it belongs to another client, so the
     * API answers 404 and never confirms another client's payment id exists.
     */
    async getForClient(id: string, clientId: string): Promise<PaymentRecord | undefined> {
      const row = await db.get<PaymentRow>(
        {
          purpose: 'read payment of a client',
          sql: 'SELECT * FROM payments WHERE id = ? AND client_id = ?',
        },
        [id, clientId],
      )
      return row === undefined ? undefined : toRecord(row)
    },

    /**
     * Brings one payment up to date at `now` (Unix seconds) and returns it; what a GET calls
     * before answering. Idempotent: a second call at the same `now` changes nothing.
     */
    async advance(id: string, now: number): Promise<PaymentRecord | undefined> {
      const payment = await read(db, id)
      if (payment === undefined) return undefined
      // A settled payment or one with nothing due is answered without taking the write lock.
      const due = nextDue(payment)
      if (due === undefined || due > now) return payment
      const advanced = await db.transaction((tx) => advanceIn(tx, id, now))
      return advanced?.payment
    },

    /**
     * Brings up to `limit` in-flight payments with a transition due by `now` up to date, oldest
     * first, so an earlier instruction gets the funds before a later one; what the periodic
     * ticker calls. Each payment is its own transaction, so an API request waits for at most one.
     * @returns the payments whose status this call changed, in the order they were processed.
     */
    async advanceDue(now: number, limit = 100): Promise<PaymentRecord[]> {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new RangeError(`limit must be a positive integer, got ${limit}`)
      }
      const acceptBy = isoSeconds(now - lifecycle.acceptanceDelaySeconds)
      const settleBy = isoSeconds(now - lifecycle.settlementDelaySeconds)
      // The IN term repeats the partial index's WHERE verbatim: SQLite uses a partial index only
      // when the query contains its condition, and cannot infer it from status = 'pending'.
      const due = await db.all<{ id: string }>(
        {
          purpose: 'list payments due to advance',
          sql: `SELECT id FROM payments
            WHERE status IN ('pending', 'accepted_settlement_in_process')
              AND status_updated_at <= max(?1, ?2)
              AND status_updated_at <= CASE status WHEN 'pending' THEN ?1 ELSE ?2 END
            ORDER BY created_at, rowid LIMIT ?3`,
        },
        [acceptBy, settleBy, limit],
      )
      const changed: PaymentRecord[] = []
      for (const { id } of due) {
        // Re-read inside the transaction: another caller may have advanced it since the list.
        const advanced = await db.transaction((tx) => advanceIn(tx, id, now))
        if (advanced?.changed === true) changed.push(advanced.payment)
      }
      return changed
    },
  }
}

export type PaymentRepository = ReturnType<typeof createPaymentRepository>
