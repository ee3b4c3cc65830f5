/**
 * The shell of every bank page: brand colours and name, one inline style sheet allowed by its
 * hash (CSP Level 3 section 8.3), no script, and the Content-Security-Policy that goes with it.
 * @see https://www.w3.org/TR/CSP3/#directive-form-action
 */
import { createHash } from 'node:crypto'
import type { Bank } from '@sandbox/spec-types/banking/bank'
import { documentText, type Html, html, styleElement } from './html.js'

/** What a page shows of its bank. */
export type PageBrand = Pick<Bank, 'id' | 'name' | 'legalName' | 'brand'>

/** A rendered page and the policy it needs. */
export interface Page {
  text: string
  contentSecurityPolicy: string
}

export interface PageOptions {
  title: string
  body: Html
  /**
   * Origins a form on the page may end up at. Chromium and WebKit apply `form-action` to every
   * redirect after a form submission (w3c/webappsec-csp issue 8), so a form whose 303 leads to the
   * client's redirect_uri must list that origin; Firefox checks only the first target.
   */
  formTargets?: readonly string[]
  /** The signed-in customer's name, shown in the header. */
  customerName?: string | undefined
}

function styleSheet(bank: PageBrand): string {
  const { primaryColour, accentColour } = bank.brand
  return `:root{--brand:${primaryColour};--accent:${accentColour};--ink:#1d2530;--muted:#5b6675;--line:#d8dee6;--bg:#f3f5f8;--bad:#b3261e}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--brand);color:#fff}
.bar{max-width:44rem;margin:0 auto;padding:.9rem 1.25rem;display:flex;align-items:center;gap:.75rem}
.mark{width:2.25rem;height:2.25rem;border-radius:50%;background:var(--accent);color:var(--brand);display:grid;place-items:center;font-weight:700;font-size:1.15rem}
.name{font-weight:650;font-size:1.15rem;letter-spacing:.01em}
.who{margin-left:auto;font-size:.9rem;opacity:.9}
main{max-width:44rem;margin:2rem auto;padding:0 1.25rem}
.card{background:#fff;border:1px solid var(--line);border-radius:.75rem;padding:1.75rem;box-shadow:0 1px 2px rgba(16,24,40,.06)}
h1{font-size:1.45rem;line-height:1.3;margin:0 0 .5rem}
h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
p{margin:.5rem 0}
.lead{color:var(--muted)}
label{display:block;font-weight:600;margin:1rem 0 .35rem}
input[type=text],input[type=password],select{width:100%;padding:.65rem .75rem;border:1px solid #aab4c0;border-radius:.5rem;font:inherit;background:#fff}
input:focus,select:focus,button:focus{outline:3px solid var(--accent);outline-offset:1px}
.plainset{border:0;padding:0;margin:0;min-width:0}
.plainset legend{padding:0}
.choice{display:flex;gap:.75rem;align-items:flex-start;padding:.75rem;border:1px solid var(--line);border-radius:.5rem;margin:.5rem 0;font-weight:400}
.choice input{margin-top:.3rem}
.choice small{display:block;color:var(--muted)}
ul.plain{padding-left:1.2rem;margin:.5rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:.75rem 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;font-weight:600}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.5rem}
button{font:inherit;font-weight:600;padding:.7rem 1.4rem;border-radius:.5rem;border:2px solid var(--brand);cursor:pointer}
button.primary{background:var(--brand);color:#fff}
button.secondary{background:#fff;color:var(--brand)}
button.link{border:0;background:none;color:var(--brand);padding:0;text-decoration:underline}
.notice{border-left:4px solid var(--bad);background:#fdf0ef;padding:.6rem .9rem;border-radius:.25rem;margin:1rem 0}
.status{font-size:.85rem;font-weight:600;padding:.1rem .5rem;border-radius:1rem;background:var(--bg)}
.app{border-top:1px solid var(--line);padding:1rem 0}
.app:first-of-type{border-top:0}
code{font-size:.9em;background:var(--bg);padding:.05rem .3rem;border-radius:.25rem;overflow-wrap:anywhere}
footer{max-width:44rem;margin:0 auto 2rem;padding:0 1.25rem;color:var(--muted);font-size:.85rem}`
}

const hashes = new Map<string, { css: string; hash: string }>()

/** The style sheet of a bank and its CSP hash source, computed once per brand. */
function brandStyle(bank: PageBrand): { css: string; hash: string } {
  const key = `${bank.id}${bank.brand.primaryColour}${bank.brand.accentColour}`
  let style = hashes.get(key)
  if (style === undefined) {
    const css = styleSheet(bank)
    style = { css, hash: `'sha256-${createHash('sha256').update(css).digest('base64')}'` }
    hashes.set(key, style)
  }
  return style
}

/** The policy of a page: nothing loads but its own style sheet, nothing may frame it. */
export function contentSecurityPolicy(styleHash: string, formTargets: readonly string[]): string {
  return [
    "default-src 'none'",
    `style-src ${styleHash}`,
    `form-action ${["'self'", ...formTargets].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ')
}

/** Renders a complete page in the bank's brand. */
export function renderPage(bank: PageBrand, options: PageOptions): Page {
  const style = brandStyle(bank)
  const page = html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} - ${bank.name}</title>
${styleElement(style.css)}
</head>
<body>
<header><div class="bar"><span class="mark" aria-hidden="true">${bank.name.charAt(0)}</span><span class="name">${bank.name}</span>${
    options.customerName === undefined
      ? ''
      : html`<span class="who">Signed in as ${options.customerName}</span>`
  }</div></header>
<main><div class="card">
${options.body}
</div></main>
<footer>${bank.legalName}. A sandbox bank: every person, account and payment here is invented.</footer>
</body>
</html>`
  return {
    text: documentText(page),
    contentSecurityPolicy: contentSecurityPolicy(style.hash, options.formTargets ?? []),
  }
}
