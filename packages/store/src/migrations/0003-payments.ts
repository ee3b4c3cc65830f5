/**
 * Bank schema 0003: payments initiated at the resource server under a `payment_initiation` grant
 * (RFC 9396), with their ISO 20022 status and the debit they posted once settled.
 */
import type { Migration } from '../migrations.js'

// Times are ISO 8601 UTC text of one width, like the ledger in 0001, because a payment's times
// sit beside its debit's booking time. The instruction is kept as consented: amount in minor
// units (STRICT refuses a REAL), account identifications as their wire JSON.
export const paymentsSchema: Migration = {
  version: 3,
  name: 'payments',
  up: `
CREATE TABLE payments (
  -- Chosen by the caller ('pay_' and a sortable random part); the wire pattern of PaymentSchema.
  id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^A-Za-z0-9_-]*'),
  -- No foreign keys to grants or clients: a payment is the bank's record of an instruction it
  -- executed and outlives the client's registration (RFC 7592 deletion cascades to grants).
  -- One payment per grant: a single-payment consent executes once.
  grant_id TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  debtor_account_id TEXT NOT NULL REFERENCES accounts (id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  creditor_name TEXT NOT NULL CHECK (length(creditor_name) BETWEEN 1 AND 70),
  creditor_account TEXT NOT NULL CHECK (json_valid(creditor_account)),
  -- The debtor account identification as the consent named it; null when the user picked it.
  debtor_account TEXT CHECK (debtor_account IS NULL OR json_valid(debtor_account)),
  remittance_information TEXT CHECK (length(remittance_information) BETWEEN 1 AND 140),
  requested_execution_date TEXT CHECK (requested_execution_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status TEXT NOT NULL CHECK (status IN ('pending', 'accepted_settlement_in_process', 'accepted_settlement_completed', 'rejected')),
  status_reason TEXT CHECK (length(status_reason) BETWEEN 1 AND 140),
  created_at TEXT NOT NULL,
  status_updated_at TEXT NOT NULL CHECK (status_updated_at >= created_at),
  idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) > 0),
  -- Digest of the request body, so a replayed key with a different body is told apart.
  request_hash TEXT NOT NULL,
  -- The booked debit on the debtor account; its public id is 'tx_' and this number.
  debit_transaction_seq INTEGER UNIQUE REFERENCES transactions (seq),
  UNIQUE (client_id, idempotency_key),
  -- A reason exactly when rejected, a debit exactly when completed: no half-settled payment.
  CHECK ((status = 'rejected') = (status_reason IS NOT NULL)),
  CHECK ((status = 'accepted_settlement_completed') = (debit_transaction_seq IS NOT NULL))
) STRICT;

-- The ticker's question, "which payments are in flight and due?": only unfinished payments are
-- indexed, so the index stays as small as the work in progress however many payments completed.
CREATE INDEX payments_in_flight ON payments (status, status_updated_at)
  WHERE status IN ('pending', 'accepted_settlement_in_process');
`,
}
