/**
 * A browser for the bank's sign-in and consent pages over real TLS: it keeps the cookies the bank
 * sets (RFC 6265), reads each form's action and hidden fields (the CSRF token among them) from the
 * HTML, and follows `303 See Other` within the bank.
 */
import { expect } from 'vitest'
import { type HttpsResponse, headerOf, send } from './https-client.js'

/** A form of a page: where it posts and the hidden fields it carries. */
export interface PageForm {
  action: string
  hidden: Record<string, string>
}

const decodeEntities = (value: string) =>
  value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')

const attribute = (tag: string, name: string) => {
  const value = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]
  return value === undefined ? undefined : decodeEntities(value)
}

/** The form that posts to a URL ending with `action`. */
export function formOf(html: string, action: string): PageForm {
  for (const match of html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)) {
    const url = decodeEntities(match[1] ?? '')
    if (!url.endsWith(action)) continue
    const hidden: Record<string, string> = {}
    for (const [input] of (match[2] ?? '').matchAll(/<input [^>]*type="hidden"[^>]*>/g)) {
      const name = attribute(input, 'name')
      if (name !== undefined) hidden[name] = attribute(input, 'value') ?? ''
    }
    return { action: url, hidden }
  }
  throw new Error(`no form posting to ...${action} on the page:\n${html.slice(0, 2000)}`)
}

/** The values of the checkboxes named `name`, as the page offers them. */
export function checkboxValues(html: string, name: string): string[] {
  return [...html.matchAll(/<input [^>]*type="checkbox"[^>]*>/g)]
    .map(([input]) => input)
    .filter((input) => attribute(input, 'name') === name)
    .map((input) => attribute(input, 'value') ?? '')
}

/** The option of the `<select name>` the page preselected. */
export function selectedOption(html: string, name: string): string | undefined {
  const select = new RegExp(`<select [^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)
  const option = /<option value="([^"]*)" selected>/.exec(select?.[1] ?? '')
  return option?.[1] === undefined ? undefined : decodeEntities(option[1])
}

export class PageBrowser {
  private readonly cookies = new Map<string, string>()
  private readonly ca: string

  constructor(ca: string) {
    this.ca = ca
  }

  /** Names of the cookies it holds. */
  cookieNames(): string[] {
    return [...this.cookies.keys()]
  }

  private remember(res: HttpsResponse): void {
    const header = res.headers['set-cookie']
    for (const line of Array.isArray(header) ? header : header === undefined ? [] : [header]) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
      const split = pair.indexOf('=')
      const name = pair.slice(0, split)
      const value = pair.slice(split + 1)
      // The bank's cookies are __Host- cookies: Secure, Path=/, no Domain (RFC 6265bis 4.1.3.2).
      expect(attributes.map((part) => part.toLowerCase())).toEqual(
        expect.arrayContaining(['path=/', 'secure', 'httponly']),
      )
      const expired = attributes.some(
        (part) =>
          /^max-age=0$/i.test(part) ||
          (/^expires=/i.test(part) && Date.parse(part.slice(8)) <= Date.now()),
      )
      if (value === '' || expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {}
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
  }

  async get(url: string): Promise<HttpsResponse> {
    const res = await send(
      url,
      { headers: { accept: 'text/html', ...this.cookieHeader() } },
      { ca: this.ca },
    )
    this.remember(res)
    return res
  }

  /** Posts `fields` as a form does: a field with several values is repeated. */
  async post(
    url: string,
    fields: Record<string, string | readonly string[]>,
  ): Promise<HttpsResponse> {
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(fields)) {
      for (const one of [value].flat()) body.append(name, one)
    }
    const res = await send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader() },
        body: body.toString(),
      },
      { ca: this.ca },
    )
    this.remember(res)
    return res
  }

  /** Submits the page's form that posts to `action`, with its hidden fields and `fields`. */
  submit(
    page: HttpsResponse,
    action: string,
    fields: Record<string, string | readonly string[]> = {},
  ): Promise<HttpsResponse> {
    const form = formOf(page.body, action)
    return this.post(form.action, { ...form.hidden, ...fields })
  }

  /** Follows a `303 See Other` (FAPI 2.0 SP 5.3.2.2-11: never 307 after a form). */
  follow(res: HttpsResponse): Promise<HttpsResponse> {
    expect(res.status, res.body).toBe(303)
    return this.get(headerOf(res, 'location') ?? '')
  }
}
