/** Elements from tag, attributes and children: text is always text, never parsed as HTML. */
export type Child = Node | string | number | false | null | undefined | readonly Child[]

type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>

function add(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue
    if (Array.isArray(child)) add(parent, child)
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

function set(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    if (typeof value === 'function') element.addEventListener(name.slice(2), value)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
}

export function el(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag)
  set(element, attributes)
  add(element, children)
  return element
}

export function svgEl(tag: string, attributes: Attributes = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag)
  set(element, attributes)
  add(element, children)
  return element
}

export function fill(target: Element, ...children: Child[]): void {
  target.replaceChildren()
  add(target, children)
}

export async function getJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, ...init })
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { detail?: string }
    throw new Error(problem.detail ?? `${path} answered ${res.status}`)
  }
  return (await res.json()) as T
}
