/** The ecosystem at a glance: banks, their clients, test users, customers and grants. */
import { el, fill, getJson } from './dom.js'

interface BankView {
  id: string
  name: string
  currency: string
  brand: { primaryColour: string }
  profile: Record<string, unknown>
  issuer: string
  discovery: string
  apiDocs: string
  customers: number
  testUsers: Array<{ username: string; customerName: string }>
  clients: Array<{
    clientId: string
    name: string
    authMethod: string
    automaticConsent: string | null
  }>
}

interface Grant {
  id: string
  clientId: string
  customerId: string
  status: string
  scope: string | null
  authorizationDetails: Array<{ type: string }>
  createdAt: string
}

function profileChips(profile: Record<string, unknown>): HTMLElement {
  const chips = [
    profile.senderConstraint === 'dpop' ? 'DPoP' : 'mTLS',
    String(profile.clientAuth),
    profile.dpopNonceRequired ? 'DPoP nonces' : undefined,
    profile.requireSignedRequestObject ? 'JAR required' : undefined,
    profile.authorizationResponseMode === 'jwt' ? 'JARM' : undefined,
    `access tokens ${String(profile.accessTokenLifetimeSeconds)} s`,
  ].filter((chip) => chip !== undefined)
  return el(
    'p',
    { class: 'chips' },
    chips.map((chip) => el('span', { class: 'chip' }, chip)),
  )
}

async function grantsTable(bank: BankView, target: HTMLElement): Promise<void> {
  const { grants } = await getJson<{ grants: Grant[] }>(`/api/banks/${bank.id}/grants`)
  fill(
    target,
    grants.length === 0
      ? el('p', { class: 'muted' }, 'No grants yet.')
      : el(
          'table',
          {},
          el('caption', {}, `Grants at ${bank.name}`),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ['Client', 'Customer', 'Allows', 'Status', 'Created', ''].map((h) =>
                el('th', { scope: 'col' }, h),
              ),
            ),
          ),
          el(
            'tbody',
            {},
            grants.map((grant) => {
              const revoke: HTMLElement = el(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  onclick: async () => {
                    revoke.setAttribute('disabled', '')
                    await fetch(
                      `/api/banks/${bank.id}/grants/${encodeURIComponent(grant.id)}/revoke`,
                      {
                        method: 'POST',
                        headers: { 'x-sandbox-console': '1' },
                      },
                    )
                    await grantsTable(bank, target)
                  },
                },
                'Revoke',
              )
              return el(
                'tr',
                {},
                el('td', {}, grant.clientId),
                el('td', {}, grant.customerId),
                el(
                  'td',
                  {},
                  [grant.scope ?? '', ...grant.authorizationDetails.map((d) => d.type)]
                    .filter(Boolean)
                    .join(', '),
                ),
                el(
                  'td',
                  {},
                  el(
                    'span',
                    { class: `badge ${grant.status === 'active' ? 'ok' : 'bad'}` },
                    grant.status,
                  ),
                ),
                el('td', {}, new Date(grant.createdAt).toLocaleString('en-GB')),
                el('td', {}, grant.status === 'active' ? revoke : ''),
              )
            }),
          ),
        ),
  )
}

function customerSearch(bank: BankView): HTMLElement {
  const results = el('div', { 'aria-live': 'polite' })
  const input = el('input', {
    id: `search-${bank.id}`,
    type: 'search',
    maxlength: 100,
    placeholder: 'Name, email or id',
  }) as HTMLInputElement
  const run = async () => {
    const { customers } = await getJson<{
      customers: Array<{
        id: string
        name: string
        email: string
        accounts: Array<{ name: string; currency: string }>
      }>
    }>(`/api/banks/${bank.id}/customers?q=${encodeURIComponent(input.value)}`)
    fill(
      results,
      customers.length === 0
        ? el('p', { class: 'muted' }, 'No customer matches.')
        : el(
            'ul',
            { class: 'customers' },
            customers.map((c) =>
              el(
                'li',
                {},
                el('strong', {}, c.name),
                ` ${c.email} · ${c.id} · `,
                c.accounts.map((a) => `${a.name} (${a.currency})`).join(', '),
              ),
            ),
          ),
    )
  }
  return el(
    'form',
    {
      class: 'search',
      role: 'search',
      onsubmit: (event: Event) => {
        event.preventDefault()
        void run()
      },
    },
    el('label', { for: input.id }, 'Search customers'),
    input,
    el('button', { type: 'submit' }, 'Search'),
    results,
  )
}

export async function showEcosystem(main: HTMLElement): Promise<void> {
  const { banks } = await getJson<{ banks: BankView[] }>('/api/ecosystem')
  fill(
    main,
    el('h1', {}, 'The ecosystem'),
    el(
      'p',
      { class: 'muted' },
      'Registration is open in this sandbox: any client may register at a bank (RFC 7591). Test users sign in with the passwords and codes published in the README.',
    ),
    banks.map((bank) => {
      const grants = el('div', {}, el('p', { class: 'muted' }, 'Loading grants…'))
      void grantsTable(bank, grants)
      const card = el(
        'section',
        { class: 'bank', 'aria-labelledby': `bank-${bank.id}` },
        el(
          'h2',
          { id: `bank-${bank.id}` },
          bank.name,
          el(
            'span',
            { class: 'muted' },
            ` ${bank.id} · ${bank.currency} · ${bank.customers} customers`,
          ),
        ),
        profileChips(bank.profile),
        el(
          'p',
          {},
          el('a', { href: bank.discovery }, 'Discovery document'),
          ' · ',
          el('a', { href: bank.apiDocs }, 'API docs (Swagger UI)'),
          ' · issuer ',
          el('code', {}, bank.issuer),
        ),
        el('h3', {}, 'Test users'),
        el('p', {}, bank.testUsers.map((u) => `${u.username} (${u.customerName})`).join(', ')),
        el('h3', {}, 'Registered clients'),
        el(
          'ul',
          {},
          bank.clients.map((c) =>
            el(
              'li',
              {},
              el('strong', {}, c.name),
              ` ${c.clientId} · ${c.authMethod}`,
              c.automaticConsent === null ? '' : ` · automatic consent: ${c.automaticConsent}`,
            ),
          ),
        ),
        el('h3', {}, 'Grants'),
        grants,
        el('h3', {}, 'Customers'),
        customerSearch(bank),
      )
      card.style.setProperty('--brand', bank.brand.primaryColour)
      return card
    }),
  )
}
