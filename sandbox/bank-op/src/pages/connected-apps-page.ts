/**
 * "Connected apps": the customer's grants with what each allows, and a button to revoke each
 * active one (FAPI Grant Management: the user can see and end what they granted).
 */
import type { GrantStatus } from '@sandbox/spec-types/grant'
import type { AccountRecord } from '@sandbox/store/repositories/accounts'
import type { GrantRecord } from '@sandbox/store/repositories/grants'
import {
  ACTION_WORDS,
  describeAccount,
  formatDate,
  formatMoney,
  SCOPE_WORDS,
} from './access-words.js'
import { type Html, html } from './html.js'
import { csrfField, noticeBox } from './sign-in-pages.js'

export interface ConnectedApp {
  grant: GrantRecord
  clientName: string
  status: GrantStatus
  revoke: string
}

export interface ConnectedAppsPageOptions {
  bankName: string
  apps: readonly ConnectedApp[]
  accounts: ReadonlyMap<string, AccountRecord>
  csrfToken: string
  signOut: string
  notice?: string | undefined
}

const STATUS_WORDS: Readonly<Record<GrantStatus, string>> = {
  active: 'Active',
  revoked: 'Revoked',
  expired: 'Expired',
}

/** What a grant allows, one line per permission. */
function allowances(grant: GrantRecord, accounts: ReadonlyMap<string, AccountRecord>): string[] {
  const details = grant.authorizationDetails ?? []
  const lines: string[] = []
  for (const scope of grant.scope?.split(' ') ?? []) {
    const covered =
      (scope === 'accounts' && details.some((d) => d.type === 'account_information')) ||
      (scope === 'payments' && details.some((d) => d.type === 'payment_initiation'))
    if (!covered) lines.push(SCOPE_WORDS[scope] ?? scope)
  }
  for (const detail of details) {
    if (detail.type === 'account_information') {
      const names = (detail.accounts ?? []).map((id) => {
        const account = accounts.get(id)
        return account === undefined ? id : describeAccount(account)
      })
      for (const action of detail.actions) lines.push(ACTION_WORDS[action])
      if (names.length > 0) lines.push(`Accounts: ${names.join('; ')}`)
    } else {
      const { amount, currency } = detail.instructedAmount
      lines.push(`Pay ${formatMoney(amount, currency)} to ${detail.creditorName}`)
    }
  }
  return lines
}

function appSection(app: ConnectedApp, options: ConnectedAppsPageOptions): Html {
  const { grant } = app
  return html`<section class="app">
<h2>${app.clientName} <span class="status">${STATUS_WORDS[app.status]}</span></h2>
<ul class="plain">${allowances(grant, options.accounts).map((line) => html`<li>${line}</li>`)}</ul>
<dl class="facts">
<dt>Connected</dt><dd>${formatDate(grant.createdAt)}</dd>
${
  grant.revokedAt === undefined
    ? html`<dt>Access ends</dt><dd>${grant.expiresAt === undefined ? 'No end date' : formatDate(grant.expiresAt)}</dd>`
    : html`<dt>Revoked</dt><dd>${formatDate(grant.revokedAt)}</dd>`
}
</dl>
${
  app.status === 'active'
    ? html`<form method="post" action="${app.revoke}">${csrfField(options.csrfToken)}<button class="secondary" type="submit">Revoke access</button></form>`
    : ''
}
</section>`
}

export function connectedAppsPage(options: ConnectedAppsPageOptions): Html {
  return html`<h1>Connected apps</h1>
<p class="lead">These apps can reach your ${options.bankName} accounts because you allowed them. Revoke one and it loses access at once.</p>
${noticeBox(options.notice)}
${options.apps.length === 0 ? html`<p>No apps are connected to your accounts.</p>` : options.apps.map((app) => appSection(app, options))}
<form method="post" action="${options.signOut}">${csrfField(options.csrfToken)}<p><button class="link" type="submit">Sign out</button></p></form>`
}
