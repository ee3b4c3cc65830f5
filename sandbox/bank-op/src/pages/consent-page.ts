/**
 * The consent page: which app, what it may do, with which accounts, for how long, in plain words
 * (FAPI 2.0 SP 5.3.2.2-13; RAR-09: each detail with its amount, currency, creditor and accounts).
 */

import type { CurrencyCode } from '@sandbox/spec-types/banking/currency'
import { formatMinorUnits } from '@sandbox/store/money'
import type { ConsentOffer, PaymentOffer } from '../authorization/consent-offer.js'
import {
  ACTION_WORDS,
  describeAccount,
  formatAccountIdentification,
  formatMoney,
  SCOPE_WORDS,
} from './access-words.js'
import { type Html, html } from './html.js'
import { csrfField, noticeBox } from './sign-in-pages.js'

export interface ConsentPageOptions {
  bankName: string
  clientName: string
  offer: ConsentOffer
  csrfToken: string
  submit: string
  notice?: string | undefined
}

function accountsSection(offer: ConsentOffer): Html | undefined {
  if (offer.accountInformation.length === 0) return undefined
  const only = offer.shareable.length === 1
  return html`<h2>See information about your accounts</h2>
${offer.accountInformation.map(
  ({ detail }) =>
    html`<ul class="plain">${detail.actions.map((action) => html`<li>${ACTION_WORDS[action]}</li>`)}</ul>`,
)}
<fieldset class="plainset"><legend><h2>Which accounts?</h2></legend>
${
  offer.shareable.length === 0
    ? html`<p>You have no accounts that can be shared.</p>`
    : offer.shareable.map(
        (account) =>
          html`<label class="choice"><input type="checkbox" name="accounts" value="${account.id}"${only ? html` checked` : ''}><span>${describeAccount(account)}</span></label>`,
      )
}
</fieldset>`
}

function paymentSection(payment: PaymentOffer): Html {
  const { detail } = payment
  const { amount, currency } = detail.instructedAmount
  const field = `payer-${payment.index}`
  const only = payment.payers.length === 1
  return html`<h2>Make a payment</h2>
<dl class="facts">
<dt>Amount</dt><dd>${formatMoney(amount, currency)}</dd>
<dt>To</dt><dd>${detail.creditorName}</dd>
<dt>Their account</dt><dd>${formatAccountIdentification(detail.creditorAccount)}</dd>
${detail.remittanceInformationUnstructured === undefined ? '' : html`<dt>Reference</dt><dd>${detail.remittanceInformationUnstructured}</dd>`}
<dt>When</dt><dd>${detail.requestedExecutionDate ?? 'As soon as possible'}</dd>
</dl>
<fieldset class="plainset"><legend><h2>Pay from</h2></legend>
${
  payment.payers.length === 0
    ? html`<p class="notice">${payment.fixed ? 'The app asked to pay from an account that is not yours at this bank.' : `You have no current account in ${currency} to pay from.`}</p>`
    : payment.payers.map(
        ({ account, available }) =>
          html`<label class="choice"><input type="radio" name="${field}" value="${account.id}"${only ? html` checked` : ''}><span>${describeAccount(account)}<small>Available: ${formatMoney(formatMinorUnits(available, account.currency as CurrencyCode), account.currency)}</small></span></label>`,
      )
}
</fieldset>`
}

function durationSection(options: ConsentPageOptions): Html {
  const { offer } = options
  if (offer.durations === undefined) {
    return html`<p>This lets ${options.clientName} start the payment above once, within 24 hours.</p>`
  }
  return html`<label for="duration">How long may ${options.clientName} have access?</label>
<select id="duration" name="duration">${offer.durations.map(
    (option) =>
      html`<option value="${option.value}"${option.value === offer.defaultDuration ? html` selected` : ''}>${option.label}</option>`,
  )}</select>`
}

export function consentPage(options: ConsentPageOptions): Html {
  const { offer } = options
  return html`<h1>Allow ${options.clientName} to connect to ${options.bankName}?</h1>
<p class="lead">${options.clientName} is asking for the access below. Check it, then allow or deny. You can withdraw access at any time under Connected apps.</p>
${noticeBox(options.notice)}
<form method="post" action="${options.submit}">${csrfField(options.csrfToken)}
${offer.scopes.length === 0 ? '' : html`<h2>${options.clientName} will be able to</h2><ul class="plain">${offer.scopes.map((scope) => html`<li>${SCOPE_WORDS[scope] ?? scope}</li>`)}</ul>`}
${accountsSection(offer)}
${offer.payments.map(paymentSection)}
${durationSection(options)}
<p class="lead">Nothing else is shared, and ${options.clientName} never sees your password.</p>
<div class="actions"><button class="primary" type="submit" name="decision" value="approve">Allow</button><button class="secondary" type="submit" name="decision" value="deny" formnovalidate>Deny</button></div>
</form>`
}
