/** The demo fintech's pages: a hash router over the views, the notice bar and the session. */
import { ApiError, call, loadSession, type Notice, type SessionInfo } from './api.js'
import { h, render } from './dom.js'
import { bankPicker } from './views/banks.js'
import { connectForm } from './views/connect.js'
import { connectionsPage } from './views/connections.js'
import { dashboard } from './views/dashboard.js'
import { payForm } from './views/pay.js'
import { paymentStatus } from './views/payment.js'
import { transactionsPage } from './views/transactions.js'

export interface AppState {
  session: SessionInfo
  /** Reloads the session (banks' connected flags, a new notice). */
  refresh(): Promise<void>
}

/** Shows a notice above the page; errors are announced assertively. */
export function showNotice(notice: Notice | undefined): void {
  const bar = document.getElementById('notice')
  if (bar === null) return
  bar.replaceChildren()
  if (notice === undefined) return
  bar.setAttribute('role', notice.kind === 'error' ? 'alert' : 'status')
  bar.appendChild(
    h(
      'div',
      { class: `notice notice-${notice.kind}` },
      h('strong', {}, notice.title),
      h('p', {}, notice.message),
      notice.rule === undefined
        ? undefined
        : h('p', { class: 'rule' }, `Rule ${notice.rule.id}: ${notice.rule.description}`),
      notice.reconnect === undefined
        ? undefined
        : h('a', { class: 'button', href: `#/connect/${notice.reconnect}` }, 'Reconnect'),
      h(
        'button',
        { class: 'link', type: 'button', onclick: () => bar.replaceChildren() },
        'Dismiss',
      ),
    ),
  )
}

/** A problem the page could not get past, with what to do about it. */
export function problemView(error: unknown, retry?: () => void): HTMLElement {
  const problem =
    error instanceof ApiError
      ? error.problem
      : {
          title: 'Something went wrong',
          detail: String(error),
          status: 0,
          action: 'retry' as const,
        }
  return h(
    'section',
    { class: 'problem', role: 'alert' },
    h('h2', {}, problem.title),
    h('p', {}, problem.detail),
    problem.action === 'reconnect' && problem.bankId !== undefined
      ? h('a', { class: 'button', href: `#/connect/${problem.bankId}` }, 'Reconnect')
      : undefined,
    problem.action === 'retry' && retry !== undefined
      ? h('button', { type: 'button', onclick: retry }, 'Try again')
      : undefined,
  )
}

/**
 * Sends the form's request to the back end, which pushes the authorization request to the bank,
 * then takes the browser to the bank; on failure the button comes back with the problem beside it.
 */
export async function continueToBank(
  submit: HTMLElement,
  status: HTMLElement,
  waiting: string,
  path: string,
  body: unknown,
): Promise<void> {
  submit.setAttribute('disabled', '')
  status.replaceChildren(h('p', { class: 'muted' }, waiting))
  try {
    const { redirectTo } = await call<{ redirectTo: string }>('POST', path, body)
    location.assign(redirectTo)
  } catch (error) {
    submit.removeAttribute('disabled')
    status.replaceChildren(problemView(error))
  }
}

async function route(state: AppState): Promise<void> {
  const [, page = '', ...rest] = (location.hash || '#/').slice(1).split('/')
  for (const link of document.querySelectorAll('[data-nav]')) {
    const current = link.getAttribute('data-nav') === (page === '' ? 'banks' : page)
    if (current) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  switch (page) {
    case '':
      return bankPicker(state)
    case 'connect':
      return connectForm(state, rest[0] ?? '')
    case 'dashboard':
      return dashboard(state)
    case 'accounts':
      return transactionsPage(state, rest[0] ?? '', rest[1] ?? '')
    case 'pay':
      return payForm(state)
    case 'payments':
      return paymentStatus(state, rest[0] ?? '')
    case 'connections':
      return connectionsPage(state)
    default:
      render(h('h1', {}, 'Page not found'), h('a', { href: '#/' }, 'Back to the start'))
  }
}

async function start(): Promise<void> {
  let session: SessionInfo
  try {
    session = await loadSession()
  } catch (error) {
    render(
      h('h1', {}, 'Demo Fintech'),
      problemView(error, () => location.reload()),
    )
    return
  }
  const state: AppState = {
    session,
    async refresh() {
      state.session = await loadSession()
      showNotice(state.session.notice)
    },
  }
  showNotice(session.notice)
  window.addEventListener('hashchange', () => {
    // A notice belongs to the page it arrived with.
    showNotice(undefined)
    void route(state)
  })
  await route(state)
}

void start()
