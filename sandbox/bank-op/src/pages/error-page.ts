/**
 * The page shown instead of a redirect when the client or its redirect_uri cannot be trusted
 * (RFC 6749 section 4.1.2.1, first paragraph): what failed, the rule and the clause, no link back.
 */
import { cite } from '@sandbox/fapi/errors/describe'
import type { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { type Html, html } from './html.js'

export function errorPage(error: OAuthError): Html {
  const { rule } = error
  return html`<h1>This request cannot continue</h1>
<p class="lead">The bank did not accept the request that brought you here, so nothing was shared. Close this page and go back to the app you came from.</p>
<p class="notice" role="alert">${error.message}</p>
<dl class="facts">
<dt>Error</dt><dd><code>${rule.error}</code></dd>
<dt>Rule</dt><dd><code>${rule.id}</code></dd>
<dt>Clause</dt><dd>${cite(rule.clause)}</dd>
</dl>`
}

/** A path that names no bank hosted here. */
export function unknownBankPage(detail: string): Html {
  return html`<h1>There is no such bank here</h1>
<p class="notice" role="alert">${detail}</p>`
}

/** A failure of the bank itself (always a bug to fix), without internals. */
export function failurePage(): Html {
  return html`<h1>Something went wrong at the bank</h1>
<p class="lead">Nothing was shared. Go back to the app you came from and try again.</p>`
}
