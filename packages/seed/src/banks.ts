/** The fictional banks of the sandbox: identity, branding, FAPI 2.0 profile and local colour. */
import type { Bank, BankProfile } from '@sandbox/spec-types/banking/bank'
import type { CurrencyCode } from '@sandbox/spec-types/banking/currency'

/** A shop or service with its ISO 18245 merchant category code and a typical spend in GBP terms. */
export interface Merchant {
  name: string
  mcc: string
  min: number
  max: number
}

/** Counterparties and shops that make a bank's statements read like its country. */
export interface LocalColour {
  fakerLocale: 'en_GB' | 'de' | 'sv'
  supermarkets: readonly Merchant[]
  cafes: readonly Merchant[]
  restaurants: readonly Merchant[]
  transport: readonly Merchant[]
  /** Fixed monthly price in GBP terms; charged on the same day each month. */
  streaming: readonly Merchant[]
  shops: readonly Merchant[]
  health: readonly Merchant[]
  energy: readonly string[]
  water: readonly string[]
  broadband: readonly string[]
  mobile: readonly string[]
  mortgageLenders: readonly string[]
  lettingAgents: readonly string[]
  /** Council tax or its local equivalent: who collects it, in which months, and a GBP-terms range. */
  localTax: {
    payee: (city: string) => string
    months: readonly number[]
    min: number
    max: number
    reference: string
  }
  atmOperator: string
  /** Cash machines dispense multiples of this many major units. */
  cashStep: number
  emailProviders: readonly string[]
}

export interface BankDefinition {
  /** Short slug used in URLs and file names. */
  id: string
  name: string
  legalName: string
  /** ISO 3166-1 alpha-2. */
  country: string
  currency: CurrencyCode
  /** Other currencies a customer may hold a current account in. */
  otherCurrencies: readonly CurrencyCode[]
  bic: string
  primaryColour: string
  accentColour: string
  profile: BankProfile
  /** 'uk' accounts carry a sort code and account number (and an IBAN); 'iban' accounts an IBAN only. */
  identifiers: 'uk' | 'iban'
  /** The national bank code inside the bank's own IBANs (UK: the first four BIC letters). */
  ibanBankCode: string
  /** UK only: the first four digits of the bank's sort codes. */
  sortCodePrefix?: string
  local: LocalColour
}

const m = (name: string, mcc: string, min: number, max: number): Merchant => ({
  name,
  mcc,
  min,
  max,
})

const aurora: BankDefinition = {
  id: 'aurora',
  name: 'Aurora Bank',
  legalName: 'Aurora Bank plc',
  country: 'GB',
  currency: 'GBP',
  otherCurrencies: ['EUR', 'USD'],
  bic: 'AURAGB2L',
  primaryColour: '#0b3d91',
  accentColour: '#f2a900',
  // The common case: DPoP-bound tokens and private_key_jwt, no nonce, plain query responses.
  profile: {
    senderConstraint: 'dpop',
    clientAuth: 'private_key_jwt',
    dpopNonceRequired: false,
    accessTokenLifetimeSeconds: 600,
    refreshTokenLifetimeSeconds: 7_776_000,
    requireSignedRequestObject: false,
    authorizationResponseMode: 'query',
  },
  identifiers: 'uk',
  ibanBankCode: 'AURA',
  sortCodePrefix: '6095',
  local: {
    fakerLocale: 'en_GB',
    supermarkets: [
      m('Hartley & Finch', '5411', 18, 95),
      m('Greenleaf Foods', '5411', 12, 80),
      m('Budgetwise', '5411', 8, 60),
      m('Corner Basket', '5411', 4, 22),
      m('Marlow Market', '5411', 20, 110),
    ],
    cafes: [
      m('Bean & Bramble', '5814', 2.5, 7),
      m('Copper Kettle Coffee', '5814', 2.8, 8),
      m('Steam Street', '5814', 3, 9),
    ],
    restaurants: [
      m('The Crooked Lantern', '5812', 18, 75),
      m('Saffron House', '5812', 15, 60),
      m('Pizzeria Verdi', '5812', 14, 48),
    ],
    transport: [
      m('CityLink Rail', '4111', 3, 28),
      m('Metro Buses', '4131', 1.75, 5),
      m('SwiftCab', '4121', 8, 30),
      m('Northway Fuel', '5541', 35, 80),
    ],
    streaming: [
      m('Streamly', '5815', 10.99, 10.99),
      m('Soundwave Music', '5815', 11.99, 11.99),
      m('Pixel Plus', '5815', 6.99, 6.99),
    ],
    shops: [
      m('Parcelbox', '5999', 8, 120),
      m('Threadline Clothing', '5651', 18, 90),
      m('Pagemark Books', '5942', 6, 30),
      m('Voltstore Electronics', '5732', 15, 250),
      m('Homeward', '5712', 10, 140),
    ],
    health: [m('Wellcare Pharmacy', '5912', 3, 25), m('Brightsmile Dental', '8021', 25, 95)],
    energy: ['Northern Light Energy', 'Brightwell Power'],
    water: ['Severnside Water'],
    broadband: ['Fibrelink Broadband', 'Skyline Broadband'],
    mobile: ['Parrot Mobile', 'Orbit Mobile'],
    mortgageLenders: ['Thistle Building Society', 'Harbourside Mortgages'],
    lettingAgents: ['Keystone Lettings', 'Oakfield Property Management', 'Abbey Row Estates'],
    localTax: {
      payee: (city) => `${city} Borough Council`,
      // Council tax is usually paid in ten instalments, April to January.
      months: [3, 4, 5, 6, 7, 8, 9, 10, 11, 0],
      min: 110,
      max: 230,
      reference: 'COUNCIL TAX',
    },
    atmOperator: 'Aurora Bank ATM',
    cashStep: 10,
    emailProviders: ['example.co.uk', 'mail.example.com', 'example.org'],
  },
}

const meridian: BankDefinition = {
  id: 'meridian',
  name: 'Meridian Bank',
  legalName: 'Meridian Bank AG',
  country: 'DE',
  currency: 'EUR',
  otherCurrencies: ['USD', 'CHF'],
  bic: 'MRDNDEFFXXX',
  primaryColour: '#0f766e',
  accentColour: '#f59e0b',
  // Certificate-bound tokens and mutual-TLS client authentication: no keys in the request at all.
  profile: {
    senderConstraint: 'mtls',
    clientAuth: 'tls_client_auth',
    dpopNonceRequired: false,
    accessTokenLifetimeSeconds: 300,
    refreshTokenLifetimeSeconds: 2_592_000,
    requireSignedRequestObject: false,
    authorizationResponseMode: 'query',
  },
  identifiers: 'iban',
  ibanBankCode: '51230800',
  local: {
    fakerLocale: 'de',
    supermarkets: [
      m('Frischmarkt Lindner', '5411', 15, 90),
      m('Korbwerk', '5411', 8, 55),
      m('Biohof Sommer', '5411', 12, 70),
      m('Sparkauf', '5411', 6, 50),
    ],
    cafes: [
      m('Kaffeehaus Amsel', '5814', 2.5, 8),
      m('Bäckerei Kornblume', '5814', 2, 7),
      m('Röstwerk', '5814', 3, 9),
    ],
    restaurants: [
      m('Gasthaus zum Anker', '5812', 18, 70),
      m('Trattoria Lucca', '5812', 15, 55),
      m('Mai Thai', '5812', 12, 40),
    ],
    transport: [
      m('Stadtwerke Verkehr', '4111', 2.5, 9),
      m('Regiobahn', '4112', 6, 45),
      m('Taxi Zentrale', '4121', 9, 32),
      m('Tankhaus Nord', '5541', 40, 85),
    ],
    streaming: [
      m('Streamly', '5815', 11.99, 11.99),
      m('Klangwelt Musik', '5815', 9.99, 9.99),
      m('Kinobox', '5815', 7.99, 7.99),
    ],
    shops: [
      m('Paketwelt', '5999', 10, 130),
      m('Modehaus Falk', '5651', 20, 110),
      m('Buchladen Seitenweise', '5942', 8, 35),
      m('Elektro Blitz', '5732', 20, 300),
      m('Wohnidee', '5712', 12, 150),
    ],
    health: [m('Löwen-Apotheke', '5912', 3, 30), m('Zahnarztpraxis Weiß', '8021', 30, 110)],
    energy: ['Stadtwerke Energie', 'Nordstrom Energie'],
    water: ['Wasserwerke Rheinland'],
    broadband: ['Glasnetz', 'Datenwelle Internet'],
    mobile: ['Funkturm Mobil', 'Kolibri Mobilfunk'],
    mortgageLenders: ['Hanse Baufinanz', 'Bausparkasse Eichbaum'],
    lettingAgents: ['Wohnbau Lindenhof GmbH', 'Hausverwaltung Krüger', 'Immobilien Vogt'],
    localTax: {
      payee: () => 'ARD ZDF Deutschlandradio Beitragsservice',
      // The broadcasting fee (Rundfunkbeitrag) is commonly paid quarterly.
      months: [0, 3, 6, 9],
      min: 48,
      max: 48,
      reference: 'RUNDFUNKBEITRAG',
    },
    atmOperator: 'Meridian Geldautomat',
    cashStep: 10,
    emailProviders: ['example.de', 'post.example.com', 'example.org'],
  },
}

const fjord: BankDefinition = {
  id: 'fjord',
  name: 'Fjord Sparbank',
  legalName: 'Fjord Sparbank AB',
  country: 'SE',
  currency: 'SEK',
  otherCurrencies: ['EUR', 'NOK'],
  bic: 'FJSPSESS',
  primaryColour: '#1e3a5f',
  accentColour: '#7dd3fc',
  // The teaching bank: every optional hardening on, so a client meets each rule at least once.
  profile: {
    senderConstraint: 'dpop',
    clientAuth: 'private_key_jwt',
    dpopNonceRequired: true,
    accessTokenLifetimeSeconds: 120,
    refreshTokenLifetimeSeconds: 86_400,
    requireSignedRequestObject: true,
    authorizationResponseMode: 'jwt',
  },
  identifiers: 'iban',
  ibanBankCode: '932',
  local: {
    fakerLocale: 'sv',
    supermarkets: [
      m('Matkassen Norr', '5411', 12, 90),
      m('Hallonbacken Livs', '5411', 6, 45),
      m('Storköp', '5411', 18, 110),
      m('Ängens Gårdsbutik', '5411', 8, 40),
    ],
    cafes: [
      m('Kafé Kanelbulle', '5814', 3, 8),
      m('Björk & Böna', '5814', 3, 9),
      m('Fikastugan', '5814', 2.5, 7),
    ],
    restaurants: [
      m('Sjöboden', '5812', 18, 70),
      m('Lilla Tokyo', '5812', 14, 45),
      m('Krogen Ankaret', '5812', 20, 80),
    ],
    transport: [
      m('Länstrafiken', '4111', 2.5, 9),
      m('Norrtåg Resor', '4112', 8, 50),
      m('Taxi Polstjärnan', '4121', 10, 35),
      m('Bränsle Nord', '5541', 40, 85),
    ],
    streaming: [
      m('Streamly', '5815', 9.5, 9.5),
      m('Ljudvåg', '5815', 9, 9),
      m('Filmhyllan', '5815', 7.5, 7.5),
    ],
    shops: [
      m('Paketboden', '5999', 8, 110),
      m('Klädkammaren', '5651', 18, 100),
      m('Bokhyllan', '5942', 8, 30),
      m('Elektronikhuset', '5732', 20, 280),
      m('Hemma Inredning', '5712', 10, 140),
    ],
    health: [m('Apoteket Hjärtat Norr', '5912', 3, 28), m('Tandvården Solsidan', '8021', 30, 120)],
    energy: ['Norrsken Energi', 'Vattenfors Elhandel'],
    water: ['Kommunens VA'],
    broadband: ['Fiberlänk', 'Bredbandsbolaget Nord'],
    mobile: ['Måsen Mobil', 'Tele Fjäril'],
    mortgageLenders: ['Fjord Sparbank Bolån', 'Stadshypotek Norr'],
    lettingAgents: ['Bostadsbolaget Granen', 'Hyresvärden Ekdahl', 'Fastighets AB Sjöglimt'],
    localTax: {
      payee: (city) => `${city} kommun avfallsavgift`,
      // Municipal waste collection is billed quarterly.
      months: [1, 4, 7, 10],
      min: 35,
      max: 60,
      reference: 'AVFALLSAVGIFT',
    },
    atmOperator: 'Bankomat',
    cashStep: 100,
    emailProviders: ['example.se', 'post.example.com', 'example.org'],
  },
}

/** The seeded banks, in the order the launcher lists them. */
export const BANKS: readonly BankDefinition[] = [aurora, meridian, fjord]

/** A definition as the services see the bank (spec-types `Bank`): without the seed's own inputs. */
export function bankOfDefinition(definition: BankDefinition): Bank {
  return {
    id: definition.id,
    name: definition.name,
    legalName: definition.legalName,
    country: definition.country,
    currency: definition.currency,
    bic: definition.bic,
    brand: { primaryColour: definition.primaryColour, accentColour: definition.accentColour },
    profile: definition.profile,
  }
}

/** The bank with this id. @throws Error naming the known ids. */
export function bankDefinition(id: string): BankDefinition {
  const bank = BANKS.find((candidate) => candidate.id === id)
  if (bank === undefined) {
    throw new Error(`unknown bank id '${id}'; known banks: ${BANKS.map((b) => b.id).join(', ')}`)
  }
  return bank
}
