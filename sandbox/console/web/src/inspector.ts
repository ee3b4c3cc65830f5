/**
 * The flow inspector: the flows as they happen, one flow as a sequence diagram across Browser,
 * Fintech, Bank authorization server and Bank API, and the selected message in full: request,
 * decoded JWTs with their signature status, and every check with its clause. Replay with the
 * arrow keys or Previous/Next; export a flow as Markdown (Mermaid) or JSON.
 */
import { cite } from '@sandbox/fapi/errors/describe'
import type { Clause } from '@sandbox/fapi/errors/oauth-error'
import { el, fill, getJson, svgEl } from './dom.js'
import { explainStep } from './steps.js'

export interface TraceEvent {
  id: string
  flowId: string
  seq: number
  at: string
  service: string
  bankId?: string
  step: string
  from: string
  to: string
  http?: {
    method: string
    url: string
    status?: number
    headers: Record<string, string>
    body?: unknown
  }
  jwts: Array<{
    where: string
    header: Record<string, unknown>
    claims: Record<string, unknown>
    signature: 'verified' | 'failed' | 'not-checked'
    keyId?: string
  }>
  checks: Array<{
    ruleId: string
    clause: { spec: string; section: string; item?: number }
    passed: boolean
    summary: string
    detail?: string
  }>
  interactionId?: string
}

interface FlowSummary {
  flowId: string
  title: string
  bankId?: string
  firstAt: string
  lastAt: string
  events: number
  failedChecks: number
}

const LIFELINES = [
  ['browser', 'Browser'],
  ['fintech', 'Fintech'],
  ['bank-op', 'Bank authorization server'],
  ['bank-api', 'Bank API'],
] as const

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB')

const failedIn = (event: TraceEvent) =>
  event.checks.some((check) => !check.passed) || (event.http?.status ?? 0) >= 400

/** The sequence diagram: one lifeline per actor, one arrow per message, the selected one marked. */
function diagram(events: TraceEvent[], selected: number, select: (index: number) => void) {
  const width = 880
  const column = width / LIFELINES.length
  const x = (actor: string) => {
    const index = LIFELINES.findIndex(([name]) => name === actor)
    return Math.max(index, 0) * column + column / 2
  }
  const rowHeight = 34
  const height = 60 + events.length * rowHeight
  return svgEl(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      class: 'diagram',
      role: 'img',
      'aria-label': `Sequence diagram of ${events.length} messages`,
    },
    LIFELINES.map(([actor, title]) => [
      svgEl(
        'text',
        { x: x(actor), y: 20, 'text-anchor': 'middle', class: 'lifeline-title' },
        title,
      ),
      svgEl('line', { x1: x(actor), y1: 30, x2: x(actor), y2: height - 5, class: 'lifeline' }),
    ]),
    events.map((event, index) => {
      const y = 55 + index * rowHeight
      const from = x(event.from)
      const to = x(event.to)
      const failed = failedIn(event)
      const label = `${index + 1}. ${event.step}${event.http === undefined ? '' : ` ${event.http.method} ${event.http.status ?? ''}`}`
      return svgEl(
        'g',
        {
          class: `message${failed ? ' failed' : ''}${index === selected ? ' selected' : ''}`,
          'data-index': index,
          onclick: () => select(index),
        },
        svgEl('rect', { x: 0, y: y - 20, width, height: rowHeight - 2, class: 'hit' }),
        svgEl('line', { x1: from, y1: y, x2: to, y2: y, class: 'arrow' }),
        svgEl('polygon', {
          points: `${to},${y} ${to + (to > from ? -8 : 8)},${y - 5} ${to + (to > from ? -8 : 8)},${y + 5}`,
          class: 'head',
        }),
        svgEl(
          'text',
          { x: (from + to) / 2, y: y - 6, 'text-anchor': 'middle', class: 'label' },
          label,
        ),
      )
    }),
  )
}

function json(value: unknown): HTMLElement {
  return el('pre', { class: 'json' }, JSON.stringify(value, null, 2))
}

/** The selected message: request line, headers, body, JWTs and checks. */
function detail(event: TraceEvent, index: number): HTMLElement {
  return el(
    'section',
    { class: 'detail', 'aria-labelledby': 'message-title' },
    el(
      'h2',
      { id: 'message-title' },
      `${index + 1}. ${event.step}: ${event.from} → ${event.to}`,
      event.bankId === undefined ? '' : ` (${event.bankId})`,
    ),
    explainStep(event.step) === undefined
      ? undefined
      : el('p', { class: 'explanation' }, explainStep(event.step)),
    event.http === undefined
      ? undefined
      : el(
          'p',
          { class: 'request-line' },
          el('code', {}, `${event.http.method} ${event.http.url}`),
          ' ',
          el(
            'span',
            { class: `status ${(event.http.status ?? 0) >= 400 ? 'bad' : 'ok'}` },
            String(event.http.status ?? '—'),
          ),
          ' at ',
          time(event.at),
        ),
    el('h3', {}, `Checks (${event.checks.length})`),
    event.checks.length === 0
      ? el('p', { class: 'muted' }, 'No rule checks recorded for this message.')
      : el(
          'ul',
          { class: 'checks' },
          event.checks.map((check) =>
            el(
              'li',
              { class: check.passed ? 'passed' : 'failed' },
              el('span', { class: 'verdict' }, check.passed ? 'passed' : 'FAILED'),
              ' ',
              el('strong', {}, check.ruleId),
              ` ${check.summary}`,
              check.detail === undefined ? '' : `: ${check.detail}`,
              el('span', { class: 'clause' }, cite(check.clause as Clause)),
            ),
          ),
        ),
    el('h3', {}, `JWTs (${event.jwts.length})`),
    event.jwts.length === 0
      ? el('p', { class: 'muted' }, 'No JWT in this message.')
      : event.jwts.map((jwt) =>
          el(
            'div',
            { class: 'jwt' },
            el(
              'h4',
              {},
              jwt.where,
              ' ',
              el(
                'span',
                { class: `badge sig-${jwt.signature}`, 'data-testid': 'jwt-signature' },
                jwt.signature === 'verified'
                  ? `signature verified${jwt.keyId === undefined ? '' : ` with ${jwt.keyId}`}`
                  : jwt.signature === 'failed'
                    ? 'signature failed'
                    : 'signature not checked here',
              ),
            ),
            el(
              'div',
              { class: 'jwt-parts' },
              el('div', {}, el('h5', {}, 'Header'), json(jwt.header)),
              el('div', {}, el('h5', {}, 'Claims'), json(jwt.claims)),
            ),
          ),
        ),
    event.http === undefined
      ? undefined
      : [
          el('h3', {}, 'Headers'),
          json(event.http.headers),
          event.http.body === undefined ? undefined : [el('h3', {}, 'Body'), json(event.http.body)],
        ],
  )
}

export interface Inspector {
  /** A new message arrived on the live stream. */
  onEvent(event: TraceEvent): void
  dispose(): void
}

export async function showInspector(
  main: HTMLElement,
  flowId: string | undefined,
): Promise<Inspector> {
  const list = el('ol', { class: 'flows', 'aria-label': 'Flows, newest first' })
  const view = el('div', { class: 'flow-view' })
  fill(
    main,
    el('h1', { class: 'visually-hidden' }, 'Flow inspector'),
    el('div', { class: 'inspector' }, el('aside', {}, el('h2', {}, 'Flows'), list), view),
  )
  let flows: FlowSummary[] = []
  let events: TraceEvent[] = []
  let selected = 0

  const renderList = () =>
    fill(
      list,
      flows.length === 0
        ? el(
            'li',
            { class: 'muted' },
            'No flows yet. Connect a bank in the demo fintech and watch them arrive.',
          )
        : flows.map((flow) =>
            el(
              'li',
              { class: flow.flowId === flowId ? 'current' : '' },
              el(
                'a',
                { href: `#/flows/${encodeURIComponent(flow.flowId)}` },
                el('span', { class: 'flow-title' }, flow.title),
                el(
                  'span',
                  { class: 'flow-meta' },
                  `${time(flow.lastAt)} · ${flow.events} messages`,
                  flow.failedChecks > 0
                    ? el('span', { class: 'badge bad' }, `${flow.failedChecks} failed`)
                    : undefined,
                ),
              ),
            ),
          ),
    )

  const select = (index: number) => {
    selected = Math.max(0, Math.min(events.length - 1, index))
    renderFlow()
  }

  const renderFlow = () => {
    if (flowId === undefined) {
      fill(view, el('p', { class: 'muted' }, 'Choose a flow to see its messages.'))
      return
    }
    const event = events[selected]
    const title = flows.find((flow) => flow.flowId === flowId)?.title ?? 'Flow'
    fill(
      view,
      el('h2', { class: 'flow-heading' }, title),
      el(
        'div',
        { class: 'toolbar' },
        el(
          'button',
          { type: 'button', onclick: () => select(selected - 1), disabled: selected === 0 },
          '← Previous',
        ),
        el(
          'span',
          { class: 'position', 'aria-live': 'polite' },
          `Message ${selected + 1} of ${events.length}`,
        ),
        el(
          'button',
          {
            type: 'button',
            onclick: () => select(selected + 1),
            disabled: selected >= events.length - 1,
          },
          'Next →',
        ),
        el(
          'a',
          { class: 'button', href: `/api/flows/${encodeURIComponent(flowId)}/export.md` },
          'Export Markdown',
        ),
        el(
          'a',
          { class: 'button', href: `/api/flows/${encodeURIComponent(flowId)}/export.json` },
          'Export JSON',
        ),
      ),
      diagram(events, selected, select),
      event === undefined ? undefined : detail(event, selected),
    )
  }

  const loadFlows = async () => {
    flows = (await getJson<{ flows: FlowSummary[] }>('/api/flows?limit=100')).flows
    renderList()
  }
  const loadFlow = async () => {
    if (flowId === undefined) return renderFlow()
    const flow = await getJson<{ events: Array<{ event: TraceEvent }> }>(
      `/api/flows/${encodeURIComponent(flowId)}`,
    ).catch(() => ({ events: [] }))
    events = flow.events.map((stored) => stored.event)
    renderFlow()
  }

  const onKey = (event: KeyboardEvent) => {
    if (event.target instanceof HTMLInputElement) return
    if (event.key === 'ArrowRight' || event.key === 'j') select(selected + 1)
    if (event.key === 'ArrowLeft' || event.key === 'k') select(selected - 1)
  }
  document.addEventListener('keydown', onKey)
  await Promise.all([loadFlows(), loadFlow()])

  let refreshTimer: number | undefined
  return {
    onEvent(event) {
      if (event.flowId === flowId) {
        events.push(event)
        renderFlow()
      }
      // Many events arrive together: the list is read again once they settle.
      window.clearTimeout(refreshTimer)
      refreshTimer = window.setTimeout(() => void loadFlows(), 150)
    },
    dispose() {
      document.removeEventListener('keydown', onKey)
      window.clearTimeout(refreshTimer)
    },
  }
}
