/** A small DOM builder: elements from tag, attributes and children; text is always text, never HTML. */
export type Child = Node | string | number | false | null | undefined | readonly Child[]

type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>

export function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value)
    else if (value === true) element.setAttribute(name, '')
    else element.setAttribute(name, String(value))
  }
  append(element, children)
  return element
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue
    if (Array.isArray(child)) append(parent, child)
    else if (child instanceof Node) parent.appendChild(child)
    else parent.appendChild(document.createTextNode(String(child)))
  }
}

const SVG = 'http://www.w3.org/2000/svg'

export function svg(
  tag: string,
  attributes: Record<string, string | number> = {},
  ...children: Child[]
) {
  const element = document.createElementNS(SVG, tag)
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value))
  append(element, children)
  return element
}

/** Replaces the page content and moves focus to its heading, for screen readers and keyboards. */
export function render(...children: Child[]): void {
  const main = document.getElementById('main')
  if (main === null) return
  main.replaceChildren()
  append(main, children)
  const heading = main.querySelector('h1')
  if (heading instanceof HTMLElement) {
    heading.tabIndex = -1
    heading.focus({ preventScroll: true })
  }
}

export function formatMoney(amount: string, currency: string): string {
  const value = Number(amount)
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(value)
  } catch {
    return `${amount} ${currency}`
  }
}

export function formatDate(iso: string, withTime = false): string {
  const date = new Date(iso)
  return withTime
    ? date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })
    : date.toLocaleDateString('en-GB', { dateStyle: 'medium' })
}

/** Plain words for a data permission. */
export const ACTION_WORDS: Readonly<Record<string, string>> = {
  list_accounts: 'Account names and numbers',
  read_balances: 'Balances',
  read_transactions: 'Transactions',
  read_payees: 'Saved payees',
}

export function identificationText(identification: unknown): string {
  const id = identification as
    | { scheme: 'IBAN'; iban: string }
    | { scheme: 'SortCodeAccountNumber'; sortCode: string; accountNumber: string }
    | undefined
  if (id === undefined) return ''
  if (id.scheme === 'IBAN') return id.iban.replace(/(.{4})/g, '$1 ').trim()
  return `${id.sortCode.replace(/(\d{2})(\d{2})(\d{2})/, '$1-$2-$3')} ${id.accountNumber}`
}
