/** Deterministic generation of a bank's customers, accounts, transactions, payees and test users (pure, no I/O). */

import { base, de, en, en_GB, Faker, sv } from '@faker-js/faker'
import { type CurrencyCode, minorUnitsOf } from '@sandbox/spec-types/banking/currency'
import { TRANSACTION_CATEGORIES } from '@sandbox/spec-types/banking/transaction'
import type { AccountRecord, AccountType } from '@sandbox/store/repositories/accounts'
import type { BankRecord } from '@sandbox/store/repositories/banks'
import type { CustomerRecord } from '@sandbox/store/repositories/customers'
import type { PayeeRecord } from '@sandbox/store/repositories/payees'
import type { TestUserRecord } from '@sandbox/store/repositories/test-users'
import { type TransactionRecord, transactionIdOf } from '@sandbox/store/repositories/transactions'
import type { BankDefinition, Merchant } from './banks.js'
import { iban } from './iban.js'
import { createRandom, hashSeed } from './random.js'

/** The as-of date used when none is given, fixed so that the seed number alone fixes the data. */
export const DEFAULT_AS_OF = '2026-11-01'

/** Every category a seeded transaction can carry: the wire enum of the account APIs. */
export const CATEGORIES = TRANSACTION_CATEGORIES
export type Category = (typeof CATEGORIES)[number]

/**
 * Home-currency units per pound of spending, so one table of typical prices serves every bank. Rough
 * purchasing-power levels, not exchange rates: a coffee is about 3 GBP, 3.50 EUR, 38 SEK.
 */
const PRICE_LEVEL: Record<CurrencyCode, number> = {
  GBP: 1,
  EUR: 1.15,
  USD: 1.3,
  CHF: 1.15,
  SEK: 12.5,
  NOK: 12.5,
  DKK: 8.6,
  PLN: 5,
  CZK: 28,
  JPY: 190,
}

/** The published sandbox logins; the same four people exist at every bank. */
export const TEST_PERSONAS = [
  {
    username: 'alice',
    givenName: 'Alice',
    password: 'alice-sandbox',
    oneTimeCode: '246810',
    accounts: ['current', 'savings', 'credit_card', 'foreign'],
  },
  {
    username: 'bob',
    givenName: 'Bob',
    password: 'bob-sandbox',
    oneTimeCode: '135791',
    accounts: ['current', 'savings', 'credit_card'],
  },
  {
    username: 'carol',
    givenName: 'Carol',
    password: 'carol-sandbox',
    oneTimeCode: '112358',
    accounts: ['current', 'savings'],
  },
  {
    username: 'dave',
    givenName: 'Dave',
    password: 'dave-sandbox',
    oneTimeCode: '314159',
    accounts: ['current', 'credit_card'],
  },
] as const

export interface GenerateOptions {
  /** Customers to generate; at least one (the four test users come first). Default 50. */
  customers?: number
  /** YYYY-MM-DD: the twelve months of history end the day before. Default DEFAULT_AS_OF. */
  asOf?: string
}

/** One customer with everything that belongs to them, emitted one at a time. */
export interface CustomerData {
  customer: CustomerRecord
  accounts: AccountRecord[]
  transactions: TransactionRecord[]
  payees: PayeeRecord[]
  testUser: TestUserRecord | undefined
}

export interface GeneratedBank {
  bank: BankRecord
  customerCount: number
  /** Generates customers lazily, so memory holds one customer's rows at a time. Iterate once. */
  customers: Iterable<CustomerData>
}

/** Parses and checks a YYYY-MM-DD as-of date. @throws Error with the reason, on one line. */
export function parseAsOf(asOf: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf)
  const time = match
    ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
    : Number.NaN
  if (!match || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== asOf) {
    throw new Error(`asOf must be a calendar date as YYYY-MM-DD, got '${asOf}'`)
  }
  return time
}

const LOCALES = { en_GB: [en_GB, en, base], de: [de, en, base], sv: [sv, en, base] } as const

const ACCOUNT_NAMES = {
  en_GB: {
    current: 'Everyday Account',
    savings: 'Easy Saver',
    credit_card: 'Credit Card',
    foreign: 'Currency Account',
  },
  de: {
    current: 'Girokonto',
    savings: 'Tagesgeld',
    credit_card: 'Kreditkarte',
    foreign: 'Fremdwährungskonto',
  },
  sv: {
    current: 'Lönekonto',
    savings: 'Sparkonto',
    credit_card: 'Kreditkort',
    foreign: 'Valutakonto',
  },
} as const

const PERSONAL_REFERENCES = [
  'Dinner',
  'Rent share',
  'Birthday',
  'Holiday',
  'Thanks!',
  'Tickets',
  'Loan',
  'Bills',
]

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'))

/**
 * `YYYY-MM-DDThh:mm:ssZ` for whole UTC seconds. Called for every transaction, so the calendar
 * part comes from `dayPrefixes` (one Date per day) and the clock part from a lookup table: a Date
 * and toISOString per call was the generator's largest cost.
 */
function createTimeFormatter(): (seconds: number) => string {
  const dayPrefixes = new Map<number, string>()
  return (seconds) => {
    const day = Math.floor(seconds / 86_400)
    let prefix = dayPrefixes.get(day)
    if (prefix === undefined) {
      prefix = new Date(day * 86_400_000).toISOString().slice(0, 11)
      dayPrefixes.set(day, prefix)
    }
    const inDay = Math.floor(seconds) - day * 86_400
    const hours = Math.floor(inDay / 3600)
    const minutes = Math.floor(inDay / 60) % 60
    return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[inDay % 60]}Z`
  }
}
const date = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10)
const ascii = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase()

interface AccountState {
  record: AccountRecord
  balance: number
  pendingDebits: number
  /** How far below zero discretionary spending may take a current account, in minor units. */
  overdraft: number
}

type Event =
  | {
      t: number
      seq: number
      type: 'salary'
      amount: number
      employer: string
      employerAccount: string
      label: string
    }
  | {
      t: number
      seq: number
      type: 'bill'
      amount: number
      payee: string
      category: Category
      kind: string
      reference: string
    }
  | {
      t: number
      seq: number
      type: 'spend'
      amount: number
      merchant: Merchant
      category: Category
      onCard: boolean
      mandatory: boolean
    }
  | { t: number; seq: number; type: 'atm'; amount: number }
  | { t: number; seq: number; type: 'person'; amount: number; payee: PayeeRecord }
  | { t: number; seq: number; type: 'save' | 'topUp' | 'repay' | 'interest' }
  | { t: number; seq: number; type: 'foreignSpend'; amount: number; merchant: Merchant }
  | { t: number; seq: number; type: 'foreignIn'; amount: number; from: string }

type WithoutSeq<E> = E extends unknown ? Omit<E, 'seq'> : never

/**
 * Generates one bank from a seed. Faker (seeded from the seed and bank id) supplies names and
 * addresses once per customer; a separate sfc32 stream drives the per-transaction choices, since
 * faker's helpers cost tens of microseconds each. Nothing here reads the clock or Math.random, so
 * the same (seed, bank, options) always yields the same rows.
 */
export function generateBank(
  seed: number,
  definition: BankDefinition,
  options: GenerateOptions = {},
): GeneratedBank {
  const customerCount = options.customers ?? 50
  if (!Number.isInteger(customerCount) || customerCount < 1) {
    throw new Error(`customers must be an integer of at least 1, got ${customerCount}`)
  }
  const asOf = options.asOf ?? DEFAULT_AS_OF
  const asOfMs = parseAsOf(asOf)
  const bankSeed = hashSeed(seed, definition.id)
  const bank: BankRecord = {
    id: definition.id,
    name: definition.name,
    legalName: definition.legalName,
    country: definition.country,
    currency: definition.currency,
    bic: definition.bic,
    primaryColour: definition.primaryColour,
    accentColour: definition.accentColour,
    profile: { ...definition.profile },
    seed,
    asOf,
    // The moment the data describes, not the moment the seed ran: keeps files reproducible.
    createdAt: `${asOf}T00:00:00Z`,
  }
  return {
    bank,
    customerCount,
    customers: customerStream(bankSeed, definition, customerCount, asOfMs),
  }
}

function* customerStream(
  bankSeed: number,
  definition: BankDefinition,
  customerCount: number,
  asOfMs: number,
): Generator<CustomerData> {
  const faker = new Faker({ locale: [...LOCALES[definition.local.fakerLocale]], seed: bankSeed })
  const random = createRandom(hashSeed(bankSeed, 'transactions'))
  const local = definition.local
  const asOfDate = new Date(asOfMs)
  const startMs = Date.UTC(
    asOfDate.getUTCFullYear() - 1,
    asOfDate.getUTCMonth(),
    asOfDate.getUTCDate(),
  )
  const start = startMs / 1000
  const end = asOfMs / 1000
  // Card payments in the last two days have not settled yet.
  const pendingFrom = end - 2 * 86_400
  const names = ACCOUNT_NAMES[local.fakerLocale]

  // Pools computed once per bank: employers and their accounts, so salaries name real-sounding payers.
  const employers = Array.from({ length: 24 }, () => ({
    name: faker.company.name(),
    account: counterpartyAccount(),
  }))
  let transactionCounter = 0
  const formatTime = createTimeFormatter()
  let transferCounter = 0

  function minor(amountInPounds: number, currency: CurrencyCode): number {
    return Math.max(
      1,
      Math.round(amountInPounds * PRICE_LEVEL[currency] * 10 ** minorUnitsOf(currency)),
    )
  }
  function roundMinor(amount: number, currency: CurrencyCode, step: number): number {
    const unit = step * 10 ** minorUnitsOf(currency)
    return Math.max(unit, Math.round(amount / unit) * unit)
  }
  function counterpartyAccount(): string {
    if (definition.identifiers === 'uk') {
      const sort = `${random.pick(['20', '30', '40', '60', '77', '83'])}${random.digits(4)}`
      return `${sort.slice(0, 2)}-${sort.slice(2, 4)}-${sort.slice(4)} ${random.digits(8)}`
    }
    if (definition.country === 'DE') return iban('DE', `${random.digits(8)}${random.digits(10)}`)
    return iban(definition.country, `${random.int(100, 999)}${random.digits(17)}`)
  }
  function ownAccountIdentifiers(type: AccountType | 'foreign') {
    if (type === 'credit_card') {
      return {
        iban: null,
        sortCode: null,
        accountNumber: null,
        maskedPan: `XXXX XXXX XXXX ${random.digits(4)}`,
      }
    }
    if (definition.identifiers === 'uk') {
      const sortCode = `${definition.sortCodePrefix ?? '0000'}${random.digits(2)}`
      const accountNumber = random.digits(8)
      return {
        iban: iban('GB', `${definition.ibanBankCode}${sortCode}${accountNumber}`),
        sortCode,
        accountNumber,
        maskedPan: null,
      }
    }
    const digits = definition.country === 'DE' ? random.digits(10) : random.digits(17)
    return {
      iban: iban(definition.country, `${definition.ibanBankCode}${digits}`),
      sortCode: null,
      accountNumber: null,
      maskedPan: null,
    }
  }

  for (let index = 0; index < customerCount; index++) {
    const persona = TEST_PERSONAS[index]
    const givenName = persona?.givenName ?? faker.person.firstName()
    const familyName = faker.person.lastName()
    const city = faker.location.city()
    const customerId = `cus_${random.token(16)}`
    const birthYear = asOfDate.getUTCFullYear() - random.int(19, 78)
    const sinceMs = Date.UTC(
      random.int(2001, asOfDate.getUTCFullYear() - 2),
      random.int(0, 11),
      random.int(1, 28),
    )
    const customer: CustomerRecord = {
      id: customerId,
      givenName,
      familyName,
      email: `${ascii(givenName)}.${ascii(familyName)}${random.int(1, 99)}@${random.pick(local.emailProviders)}`,
      phone: faker.phone.number(),
      addressLine: faker.location.streetAddress(),
      city,
      postcode: faker.location.zipCode(),
      country: definition.country,
      dateOfBirth: `${birthYear}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
      customerSince: date(sinceMs / 1000),
    }

    // Account mix: everyone has a current account; 1 to 4 in all.
    const types: (AccountType | 'foreign')[] = persona
      ? [...persona.accounts]
      : [
          'current',
          ...(random.chance(0.65) ? (['savings'] as const) : []),
          ...(random.chance(0.45) ? (['credit_card'] as const) : []),
          ...(random.chance(0.12) ? (['foreign'] as const) : []),
        ]
    const accounts = types.map((type): AccountState => {
      const currency =
        type === 'foreign' ? random.pick(definition.otherCurrencies) : definition.currency
      const openedMs = Math.min(
        sinceMs + random.int(0, 3 * 365) * 86_400_000,
        startMs - 30 * 86_400_000,
      )
      const record: AccountRecord = {
        id: `acc_${random.token(16)}`,
        customerId,
        type: type === 'foreign' ? 'current' : type,
        currency,
        name:
          type === 'foreign'
            ? `${currency} ${names.foreign}`
            : type === 'credit_card'
              ? `${definition.name} ${names.credit_card}`
              : names[type],
        ...ownAccountIdentifiers(type),
        status: 'enabled',
        openedAt: date(openedMs / 1000),
        creditLimit:
          type === 'credit_card'
            ? roundMinor(minor(random.int(10, 80) * 100, currency), currency, 100)
            : null,
      }
      return { record, balance: 0, pendingDebits: 0, overdraft: 0 }
    })
    const current = accounts[0] as AccountState
    const savings = accounts.find((a) => a.record.type === 'savings')
    const card = accounts.find((a) => a.record.type === 'credit_card')
    const foreign = accounts.find((a) => a.record.currency !== definition.currency)
    const home = definition.currency
    current.overdraft = minor(random.pick([0, 250, 500, 1000]), home)

    const payees: PayeeRecord[] = Array.from({ length: random.int(3, 8) }, () => {
      const account = counterpartyAccount()
      const uk = definition.identifiers === 'uk'
      return {
        id: `pay_${random.token(16)}`,
        customerId,
        name: `${faker.person.firstName()} ${faker.person.lastName()}`,
        iban: uk ? null : account,
        sortCode: uk ? account.slice(0, 8).replaceAll('-', '') : null,
        accountNumber: uk ? account.slice(9) : null,
        reference: random.pick(PERSONAL_REFERENCES),
      }
    })

    // The customer's fixed life: salary, housing, bills and habits, drawn once.
    const salary = roundMinor(minor(random.int(1700, 5600), home), home, 10)
    const employer = random.pick(employers)
    const payday = random.pick([25, 26, 27, 28])
    const mortgage = random.chance(0.4)
    const housingPayee = mortgage
      ? random.pick(local.mortgageLenders)
      : random.pick(local.lettingAgents)
    const housing = roundMinor(Math.round(salary * random.float(0.24, 0.38)), home, 5)
    const energy = {
      payee: random.pick(local.energy),
      base: minor(random.int(55, 120), home),
      day: random.int(3, 10),
    }
    const water = {
      payee: random.pick(local.water),
      amount: minor(random.int(22, 45), home),
      day: random.int(12, 16),
    }
    const broadband = {
      payee: random.pick(local.broadband),
      amount: minor(random.pick([24.99, 29.99, 34.99, 42]), home),
      day: random.int(8, 14),
    }
    const mobile = {
      payee: random.pick(local.mobile),
      amount: minor(random.pick([8, 12, 15, 22, 30]), home),
      day: random.int(17, 24),
    }
    const localTax = minor(random.int(local.localTax.min, local.localTax.max), home)
    const subscriptions = local.streaming
      .filter(() => random.chance(0.45))
      .map((merchant) => ({
        merchant,
        day: random.int(1, 28),
        onCard: card !== undefined && random.chance(0.5),
      }))
    const monthlySaving = savings
      ? roundMinor(Math.round(salary * random.float(0.04, 0.15)), home, 10)
      : 0
    const interestRate = random.float(0.015, 0.042)
    const spendLevel = random.float(0.7, 1.4)

    const events: Event[] = []
    let seq = 0
    const push = (event: WithoutSeq<Event>) => {
      if (event.t >= start && event.t < end) events.push({ ...event, seq: seq++ } as Event)
    }
    for (let month = 0; month < 12; month++) {
      const monthStartMs = Date.UTC(
        new Date(startMs).getUTCFullYear(),
        new Date(startMs).getUTCMonth() + month,
        1,
      )
      const calendarMonth = new Date(monthStartMs).getUTCMonth()
      const year = new Date(monthStartMs).getUTCFullYear()
      const daysInMonth = new Date(Date.UTC(year, calendarMonth + 1, 0)).getUTCDate()
      const at = (day: number, hour: number, minute = 0) =>
        monthStartMs / 1000 + (Math.min(day, daysInMonth) - 1) * 86_400 + hour * 3600 + minute * 60
      const anyTime = () => at(random.int(1, daysInMonth), random.int(7, 21), random.int(0, 59))
      const label = new Date(monthStartMs).toISOString().slice(0, 7)

      push({
        t: at(payday, 6),
        type: 'salary',
        amount:
          salary +
          (calendarMonth === 11
            ? roundMinor(Math.round(salary * random.float(0, 0.3)), home, 10)
            : 0),
        employer: employer.name,
        employerAccount: employer.account,
        label,
      })
      push({
        t: at(1, 7, 30),
        type: 'bill',
        amount: housing,
        payee: housingPayee,
        category: 'housing',
        kind: mortgage ? 'direct_debit' : 'standing_order',
        reference: mortgage ? `MORTGAGE ${random.digits(8)}` : `RENT ${label}`,
      })
      // Energy follows the seasons: about a third more in midwinter, a third less in midsummer.
      const season = 1 + 0.35 * Math.cos((2 * Math.PI * calendarMonth) / 12)
      push({
        t: at(energy.day, 7, 5),
        type: 'bill',
        amount: Math.round(energy.base * season),
        payee: energy.payee,
        category: 'utilities',
        kind: 'direct_debit',
        reference: `ENERGY ${customerId.slice(4, 12).toUpperCase()}`,
      })
      push({
        t: at(water.day, 7, 10),
        type: 'bill',
        amount: water.amount,
        payee: water.payee,
        category: 'utilities',
        kind: 'direct_debit',
        reference: `WATER ${customerId.slice(4, 12).toUpperCase()}`,
      })
      push({
        t: at(broadband.day, 7, 15),
        type: 'bill',
        amount: broadband.amount,
        payee: broadband.payee,
        category: 'utilities',
        kind: 'direct_debit',
        reference: 'BROADBAND',
      })
      push({
        t: at(mobile.day, 7, 20),
        type: 'bill',
        amount: mobile.amount,
        payee: mobile.payee,
        category: 'utilities',
        kind: 'direct_debit',
        reference: 'MOBILE',
      })
      if (local.localTax.months.includes(calendarMonth)) {
        push({
          t: at(1, 8),
          type: 'bill',
          amount: localTax,
          payee: local.localTax.payee(city),
          category: 'local_tax',
          kind: 'direct_debit',
          reference: local.localTax.reference,
        })
      }
      for (const subscription of subscriptions) {
        push({
          t: at(subscription.day, 4),
          type: 'spend',
          amount: minor(subscription.merchant.min, home),
          merchant: subscription.merchant,
          category: 'subscriptions',
          onCard: subscription.onCard,
          mandatory: true,
        })
      }
      const spend = (
        pool: readonly Merchant[],
        category: Category,
        count: number,
        cardShare: number,
      ) => {
        for (let i = 0; i < count; i++) {
          const merchant = random.pick(pool)
          push({
            t: anyTime(),
            type: 'spend',
            amount: minor(random.float(merchant.min, merchant.max) * spendLevel, home),
            merchant,
            category,
            onCard: card !== undefined && random.chance(cardShare),
            mandatory: false,
          })
        }
      }
      spend(local.supermarkets, 'groceries', random.int(6, 11), 0.25)
      spend(local.cafes, 'eating_out', random.int(0, 9), 0.3)
      spend(local.restaurants, 'eating_out', random.int(0, 3), 0.5)
      spend(local.transport, 'transport', random.int(2, 10), 0.3)
      spend(local.shops, 'shopping', random.int(0, 4), 0.6)
      spend(local.health, 'health', random.chance(0.35) ? 1 : 0, 0.3)
      for (let i = random.int(0, 3); i > 0; i--)
        push({
          t: anyTime(),
          type: 'atm',
          amount: roundMinor(minor(random.int(20, 120), home), home, local.cashStep),
        })
      if (random.chance(0.4)) {
        const payee = random.pick(payees)
        push({
          t: anyTime(),
          type: 'person',
          amount: roundMinor(minor(random.int(10, 150), home), home, 1),
          payee,
        })
      }
      if (savings) {
        push({ t: at(payday + 1, 9), type: 'save' })
        push({ t: at(20, 9), type: 'topUp' })
        push({ t: at(daysInMonth, 23), type: 'interest' })
      }
      if (card) push({ t: at(18, 6), type: 'repay' })
      if (foreign) {
        for (let i = random.int(0, 3); i > 0; i--) {
          const merchant = random.pick([...local.cafes, ...local.restaurants, ...local.shops])
          push({
            t: anyTime(),
            type: 'foreignSpend',
            amount: minor(
              random.float(merchant.min, merchant.max),
              foreign.record.currency as CurrencyCode,
            ),
            merchant,
          })
        }
        if (random.chance(0.3))
          push({
            t: anyTime(),
            type: 'foreignIn',
            amount: roundMinor(
              minor(random.int(100, 900), foreign.record.currency as CurrencyCode),
              foreign.record.currency as CurrencyCode,
              1,
            ),
            from: random.pick(employers).name,
          })
      }
    }
    events.sort((a, b) => a.t - b.t || a.seq - b.seq)

    const transactions: TransactionRecord[] = []
    const emit = (
      account: AccountState,
      t: number,
      amount: number,
      creditDebit: 'credit' | 'debit',
      fields: Pick<TransactionRecord, 'kind' | 'description' | 'category'> &
        Partial<TransactionRecord>,
      pending = false,
    ) => {
      const signed = creditDebit === 'credit' ? amount : -amount
      if (pending) {
        if (creditDebit === 'debit') account.pendingDebits += amount
      } else account.balance += signed
      const at = formatTime(t)
      transactions.push({
        id: transactionIdOf(transactionCounter++),
        accountId: account.record.id,
        bookingDateTime: at,
        valueDateTime: at,
        amount,
        creditDebit,
        status: pending ? 'pending' : 'booked',
        merchantName: null,
        merchantCategoryCode: null,
        counterpartyName: null,
        counterpartyAccount: null,
        reference: null,
        transferId: null,
        ...fields,
        balanceAfter: pending ? null : account.balance,
      })
    }
    const available = (account: AccountState) => account.balance - account.pendingDebits
    const accountLabel = (account: AccountState) =>
      account.record.iban ?? account.record.maskedPan ?? ''
    const transfer = (
      from: AccountState,
      to: AccountState,
      t: number,
      amount: number,
      category: Category,
      description: string,
    ) => {
      const transferId = `tr_${(transferCounter++).toString(36).padStart(8, '0')}`
      emit(from, t, amount, 'debit', {
        kind: 'transfer',
        category,
        description,
        transferId,
        counterpartyName: `${givenName} ${familyName}`,
        counterpartyAccount: accountLabel(to),
      })
      emit(to, t, amount, 'credit', {
        kind: 'transfer',
        category,
        description,
        transferId,
        counterpartyName: `${givenName} ${familyName}`,
        counterpartyAccount: accountLabel(from),
      })
    }

    // Opening balances first, so every account's history starts from zero and sums exactly.
    emit(
      current,
      start,
      roundMinor(Math.round(salary * random.float(0.3, 1.5)), home, 1),
      'credit',
      { kind: 'opening_balance', category: 'opening_balance', description: 'Opening balance' },
    )
    if (savings)
      emit(savings, start, minor(random.int(300, 15_000), home), 'credit', {
        kind: 'opening_balance',
        category: 'opening_balance',
        description: 'Opening balance',
      })
    if (card)
      emit(card, start, minor(random.int(20, 400), home), 'debit', {
        kind: 'opening_balance',
        category: 'opening_balance',
        description: 'Balance brought forward',
      })
    if (foreign)
      emit(
        foreign,
        start,
        minor(random.int(150, 2000), foreign.record.currency as CurrencyCode),
        'credit',
        { kind: 'opening_balance', category: 'opening_balance', description: 'Opening balance' },
      )

    for (const event of events) {
      switch (event.type) {
        case 'salary':
          emit(current, event.t, event.amount, 'credit', {
            kind: 'credit_transfer',
            category: 'income',
            description: `${event.employer} SALARY`,
            counterpartyName: event.employer,
            counterpartyAccount: event.employerAccount,
            reference: `SALARY ${event.label}`,
          })
          break
        case 'bill':
          emit(current, event.t, event.amount, 'debit', {
            kind: event.kind,
            category: event.category,
            description: event.payee,
            counterpartyName: event.payee,
            reference: event.reference,
          })
          break
        case 'spend': {
          const pending = event.t >= pendingFrom
          const useCard =
            event.onCard &&
            card !== undefined &&
            (card.record.creditLimit ?? 0) + available(card) - event.amount >= 0
          const account = useCard ? card : current
          // Discretionary spending stops at the arranged overdraft; bills and subscriptions do not.
          if (
            !useCard &&
            !event.mandatory &&
            available(current) - event.amount < -current.overdraft
          )
            break
          emit(
            account,
            event.t,
            event.amount,
            'debit',
            {
              kind: 'card',
              category: event.category,
              description: event.merchant.name,
              merchantName: event.merchant.name,
              merchantCategoryCode: event.merchant.mcc,
            },
            pending,
          )
          break
        }
        case 'atm':
          if (available(current) - event.amount < 0) break
          emit(current, event.t, event.amount, 'debit', {
            kind: 'atm',
            category: 'cash',
            description: `Cash withdrawal ${local.atmOperator}`,
            merchantName: local.atmOperator,
            merchantCategoryCode: '6011',
          })
          break
        case 'person':
          if (available(current) - event.amount < 0) break
          emit(current, event.t, event.amount, 'debit', {
            kind: 'credit_transfer',
            category: 'payments',
            description: event.payee.name,
            counterpartyName: event.payee.name,
            counterpartyAccount:
              event.payee.iban ?? `${event.payee.sortCode} ${event.payee.accountNumber}`,
            reference: event.payee.reference,
          })
          break
        case 'save':
          if (savings && available(current) - monthlySaving >= salary / 3)
            transfer(
              current,
              savings,
              event.t,
              monthlySaving,
              'transfers',
              `Transfer to ${savings.record.name}`,
            )
          break
        case 'topUp':
          if (savings && current.balance < 0) {
            const amount = Math.min(
              savings.balance,
              roundMinor(-current.balance + minor(100, home), home, 50),
            )
            if (amount > 0)
              transfer(
                savings,
                current,
                event.t,
                amount,
                'transfers',
                `Transfer from ${savings.record.name}`,
              )
          }
          break
        case 'interest':
          if (savings && savings.balance > 0) {
            const amount = Math.floor((savings.balance * interestRate) / 12)
            if (amount > 0)
              emit(savings, event.t, amount, 'credit', {
                kind: 'interest',
                category: 'interest',
                description: 'Interest paid',
              })
          }
          break
        case 'repay':
          if (card && card.balance < 0) {
            const owed = -card.balance
            const minimum = Math.min(owed, Math.max(Math.ceil(owed * 0.05), minor(5, home)))
            const affordable = available(current)
            const amount = affordable >= owed ? owed : Math.max(minimum, Math.min(owed, affordable))
            if (affordable - amount >= -current.overdraft) {
              const transferId = `tr_${(transferCounter++).toString(36).padStart(8, '0')}`
              emit(current, event.t, amount, 'debit', {
                kind: 'transfer',
                category: 'credit_card_repayment',
                description: `${card.record.name} repayment`,
                transferId,
                counterpartyAccount: card.record.maskedPan,
              })
              emit(card, event.t, amount, 'credit', {
                kind: 'transfer',
                category: 'credit_card_repayment',
                description: 'Payment received, thank you',
                transferId,
                counterpartyAccount: accountLabel(current),
              })
            }
          }
          break
        case 'foreignSpend':
          if (foreign && available(foreign) - event.amount >= 0) {
            emit(
              foreign,
              event.t,
              event.amount,
              'debit',
              {
                kind: 'card',
                category: 'shopping',
                description: event.merchant.name,
                merchantName: event.merchant.name,
                merchantCategoryCode: event.merchant.mcc,
              },
              event.t >= pendingFrom,
            )
          }
          break
        case 'foreignIn':
          if (foreign)
            emit(foreign, event.t, event.amount, 'credit', {
              kind: 'credit_transfer',
              category: 'income',
              description: event.from,
              counterpartyName: event.from,
              reference: 'INVOICE',
            })
          break
      }
    }

    const testUser = persona
      ? {
          username: persona.username,
          customerId,
          password: persona.password,
          oneTimeCode: persona.oneTimeCode,
        }
      : undefined
    yield { customer, accounts: accounts.map((a) => a.record), transactions, payees, testUser }
  }
}
