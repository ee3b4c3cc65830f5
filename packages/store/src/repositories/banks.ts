/** The bank row: identity, branding, FAPI profile and the seed that produced the file. */
import type { Bank, BankProfile } from '@sandbox/spec-types/banking/bank'
import type { Executor } from '../database.js'

export interface BankRecord {
  id: string
  name: string
  legalName: string
  country: string
  currency: string
  bic: string
  primaryColour: string
  accentColour: string
  profile: BankProfile
  seed: number
  asOf: string
  createdAt: string
}

interface BankRow extends Omit<BankRecord, 'profile'> {
  profile: string
}

export function createBankRepository(db: Executor) {
  return {
    /** The bank this file belongs to, or undefined for a file not seeded yet. */
    async get(): Promise<BankRecord | undefined> {
      const row = await db.get<BankRow>({
        purpose: 'read bank',
        sql: `SELECT id, name, legal_name AS legalName, country, currency, bic,
          primary_colour AS primaryColour, accent_colour AS accentColour, profile, seed,
          as_of AS asOf, created_at AS createdAt FROM bank`,
      })
      return row === undefined
        ? undefined
        : { ...row, profile: JSON.parse(row.profile) as BankProfile }
    },
    async insert(bank: BankRecord): Promise<void> {
      await db.run(
        {
          purpose: 'insert bank',
          sql: 'INSERT INTO bank VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        },
        [
          bank.id,
          bank.name,
          bank.legalName,
          bank.country,
          bank.currency,
          bank.bic,
          bank.primaryColour,
          bank.accentColour,
          JSON.stringify(bank.profile),
          bank.seed,
          bank.asOf,
          bank.createdAt,
        ],
      )
    },
  }
}

export type BankRepository = ReturnType<typeof createBankRepository>

/** The wire shape of a bank (spec-types `Bank`): brand colours grouped, bookkeeping fields dropped. */
export function toBank(record: BankRecord): Bank {
  return {
    id: record.id,
    name: record.name,
    legalName: record.legalName,
    country: record.country,
    currency: record.currency as Bank['currency'],
    bic: record.bic,
    brand: { primaryColour: record.primaryColour, accentColour: record.accentColour },
    profile: record.profile,
  }
}
