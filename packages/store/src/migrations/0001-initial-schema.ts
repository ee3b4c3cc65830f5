/** Bank schema 0001: the bank itself, customers, accounts, transactions, payees and test users. */
import type { Migration } from '../migrations.js'

// STRICT tables reject a REAL in an INTEGER column, so an amount can never become floating point.
// Timestamps are ISO 8601 UTC text of one fixed width ('2026-10-31T14:05:00Z'), which sorts correctly.
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  up: `
CREATE TABLE bank (
  id TEXT PRIMARY KEY CHECK (id GLOB '[a-z]*' AND id NOT GLOB '*[^a-z0-9-]*'),
  name TEXT NOT NULL,
  legal_name TEXT NOT NULL,
  country TEXT NOT NULL CHECK (length(country) = 2),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  bic TEXT NOT NULL CHECK (length(bic) IN (8, 11)),
  primary_colour TEXT NOT NULL CHECK (primary_colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  accent_colour TEXT NOT NULL CHECK (accent_colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  profile TEXT NOT NULL CHECK (json_valid(profile)),
  seed INTEGER NOT NULL,
  as_of TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER bank_holds_one_row BEFORE INSERT ON bank
WHEN (SELECT count(*) FROM bank) > 0
BEGIN SELECT RAISE(ABORT, 'the bank table holds exactly one row'); END;

CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  address_line TEXT NOT NULL,
  city TEXT NOT NULL,
  postcode TEXT NOT NULL,
  country TEXT NOT NULL CHECK (length(country) = 2),
  date_of_birth TEXT NOT NULL,
  customer_since TEXT NOT NULL
) STRICT;

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  type TEXT NOT NULL CHECK (type IN ('current', 'savings', 'credit_card')),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  name TEXT NOT NULL,
  iban TEXT,
  sort_code TEXT CHECK (sort_code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'),
  account_number TEXT,
  masked_pan TEXT,
  status TEXT NOT NULL CHECK (status IN ('enabled', 'closed')),
  opened_at TEXT NOT NULL,
  credit_limit INTEGER CHECK (credit_limit > 0),
  CHECK ((type = 'credit_card') = (credit_limit IS NOT NULL)),
  CHECK (iban IS NOT NULL OR (sort_code IS NOT NULL AND account_number IS NOT NULL) OR masked_pan IS NOT NULL)
) STRICT;

CREATE INDEX accounts_by_customer ON accounts (customer_id);

CREATE TABLE transactions (
  -- The public id is derived from seq ('tx_' and ten digits): no text id column and no second
  -- unique index to maintain, which measured as the largest cost of a bulk load. Declared as
  -- INTEGER PRIMARY KEY so the number is the rowid and survives VACUUM.
  seq INTEGER PRIMARY KEY CHECK (seq >= 0),
  account_id TEXT NOT NULL REFERENCES accounts (id),
  booking_date_time TEXT NOT NULL,
  value_date_time TEXT,
  amount INTEGER NOT NULL CHECK (amount > 0),
  credit_debit TEXT NOT NULL CHECK (credit_debit IN ('credit', 'debit')),
  status TEXT NOT NULL CHECK (status IN ('booked', 'pending')),
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  merchant_name TEXT,
  merchant_category_code TEXT CHECK (merchant_category_code GLOB '[0-9][0-9][0-9][0-9]'),
  category TEXT NOT NULL,
  counterparty_name TEXT,
  counterparty_account TEXT,
  reference TEXT,
  transfer_id TEXT,
  balance_after INTEGER,
  -- Pending transactions have not moved the booked balance, so they carry no running balance.
  CHECK ((status = 'booked') = (balance_after IS NOT NULL))
) STRICT;

-- Keyset pagination: "newest N of an account before (booking_date_time, id)" is a range search on
-- this index read backwards, so neither a scan nor a temporary sort is needed at any size.
-- Every index entry ends with the rowid (seq), so this also orders ties newest-first by seq.
CREATE INDEX transactions_by_account_booking ON transactions (account_id, booking_date_time);
CREATE INDEX transactions_by_transfer ON transactions (transfer_id) WHERE transfer_id IS NOT NULL;

CREATE TABLE payees (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  name TEXT NOT NULL,
  iban TEXT,
  sort_code TEXT CHECK (sort_code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'),
  account_number TEXT,
  reference TEXT,
  CHECK (iban IS NOT NULL OR (sort_code IS NOT NULL AND account_number IS NOT NULL))
) STRICT;

CREATE INDEX payees_by_customer ON payees (customer_id);

-- Published sandbox credentials (printed at start, listed in the README): stored in clear on purpose.
CREATE TABLE test_users (
  username TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  password TEXT NOT NULL,
  one_time_code TEXT NOT NULL CHECK (one_time_code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]')
) STRICT;
`,
}
