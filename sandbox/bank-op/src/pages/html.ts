/**
 * HTML text that is escaped by construction (OWASP XSS prevention, rule 1): every interpolated
 * value is escaped for element content and quoted attribute values unless it is already `Html`.
 */

const markup: unique symbol = Symbol('html')

/** Markup built by {@link html}; nothing outside this module can make one from a plain string. */
export interface Html {
  readonly [markup]: string
}

const trusted = (text: string): Html => ({ [markup]: text })

const isHtml = (value: unknown): value is Html =>
  typeof value === 'object' && value !== null && markup in value

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes `&`, `<`, `>`, `"` and `'`: safe in element content and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char)
}

/** What may be interpolated: text (escaped), markup, lists of either, or nothing. */
export type HtmlValue = Html | string | number | undefined | null | false | readonly HtmlValue[]

function render(value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return ''
  if (isHtml(value)) return value[markup]
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

/** Tagged template: `html\`<p>${name}</p>\`` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? ''
  for (let index = 0; index < values.length; index++) {
    out += render(values[index]) + (strings[index + 1] ?? '')
  }
  return trusted(out)
}

/** The text of a finished document. */
export function documentText(page: Html): string {
  return `<!doctype html>\n${page[markup]}`
}

/**
 * A `<style>` element around the bank's own style sheet (raw text: HTML escaping does not apply
 * inside it, so the sheet must not be able to close the element).
 */
export function styleElement(css: string): Html {
  if (/<\/style/i.test(css)) throw new TypeError('a style sheet cannot contain </style')
  return trusted(`<style>${css}</style>`)
}
