/** The two sign-in pages: username and password, then the one-time code (a two-factor login). */
import { type Html, html } from './html.js'

export interface SignInPageOptions {
  bankName: string
  /** The app asking for access; absent when the customer signs in to manage connected apps. */
  clientName?: string | undefined
  csrfToken: string
  submit: string
  /** Where Cancel posts, for sign-ins that an app started. */
  cancel?: string | undefined
  notice?: string | undefined
}

export const csrfField = (token: string): Html =>
  html`<input type="hidden" name="csrf" value="${token}">`

export const noticeBox = (notice: string | undefined): Html | undefined =>
  notice === undefined ? undefined : html`<p class="notice" role="alert">${notice}</p>`

function cancelForm(options: SignInPageOptions): Html | undefined {
  if (options.cancel === undefined || options.clientName === undefined) return undefined
  return html`<form method="post" action="${options.cancel}">${csrfField(options.csrfToken)}
<p><button class="link" type="submit">Cancel and return to ${options.clientName}</button></p></form>`
}

function purpose(options: SignInPageOptions): Html {
  return options.clientName === undefined
    ? html`<p class="lead">Sign in to see and manage the apps connected to your accounts.</p>`
    : html`<p class="lead"><strong>${options.clientName}</strong> is asking to connect to your ${options.bankName} account. Sign in to continue.</p>`
}

export function passwordPage(options: SignInPageOptions): Html {
  return html`<h1>Sign in to ${options.bankName}</h1>
${purpose(options)}
${noticeBox(options.notice)}
<form method="post" action="${options.submit}">${csrfField(options.csrfToken)}
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" maxlength="128" required>
<div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>
${cancelForm(options)}`
}

export function codePage(options: SignInPageOptions): Html {
  return html`<h1>Confirm it is you</h1>
<p class="lead">Enter the 6-digit code sent to your phone. In this sandbox, each test user has a fixed code, listed with the test users.</p>
${noticeBox(options.notice)}
<form method="post" action="${options.submit}">${csrfField(options.csrfToken)}
<label for="code">One-time code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus>
<div class="actions"><button class="primary" type="submit">Confirm</button></div>
</form>
${cancelForm(options)}`
}
