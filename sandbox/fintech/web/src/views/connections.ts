/** Connections: every grant per bank, what it allows and until when; refresh; disconnect. */
import { type Connection, call } from '../api.js'
import { ACTION_WORDS, formatDate, h, render } from '../dom.js'
import { type AppState, problemView, showNotice } from '../main.js'

const STATUS_WORDS: Record<Connection['status'], string> = {
  active: 'Active',
  ended: 'Ended',
  revoked: 'Disconnected',
}

export async function connectionsPage(state: AppState): Promise<void> {
  render(h('h1', {}, 'Connections'), h('p', { class: 'loading', role: 'status' }, 'Loading…'))
  let connections: Connection[]
  try {
    ;({ connections } = await call<{ connections: Connection[] }>('GET', '/api/connections'))
  } catch (error) {
    render(
      h('h1', {}, 'Connections'),
      problemView(error, () => void connectionsPage(state)),
    )
    return
  }
  const act = async (button: HTMLElement, work: () => Promise<void>) => {
    button.setAttribute('disabled', '')
    try {
      await work()
      await connectionsPage(state)
    } catch (error) {
      button.removeAttribute('disabled')
      button.after(problemView(error))
    }
  }
  render(
    h('h1', {}, 'Connections'),
    connections.length === 0
      ? h(
          'div',
          { class: 'empty-state' },
          h('p', {}, 'You have not connected a bank yet.'),
          h('a', { class: 'button primary', href: '#/' }, 'Connect a bank'),
        )
      : h(
          'ul',
          { class: 'connections' },
          connections.map((connection) => {
            const refresh: HTMLElement = h(
              'button',
              {
                type: 'button',
                onclick: () =>
                  void act(refresh, async () => {
                    await call('POST', `/api/connections/${connection.id}/refresh`)
                    showNotice({
                      kind: 'success',
                      title: 'Refreshed',
                      message: `New tokens from ${connection.bankName}.`,
                    })
                  }),
              },
              'Refresh',
            )
            const disconnect: HTMLElement = h(
              'button',
              {
                type: 'button',
                class: 'danger',
                onclick: () =>
                  void act(disconnect, async () => {
                    const { bankConfirmed } = await call<{ bankConfirmed: boolean }>(
                      'DELETE',
                      `/api/connections/${connection.id}`,
                    )
                    showNotice({
                      kind: 'success',
                      title: `Disconnected from ${connection.bankName}`,
                      message: bankConfirmed
                        ? 'Access revoked: the bank confirmed it no longer accepts this app’s tokens.'
                        : 'The bank was asked to revoke access.',
                    })
                  }),
              },
              'Disconnect',
            )
            return h(
              'li',
              { class: `card connection connection-${connection.status}` },
              h(
                'h2',
                {},
                connection.bankName,
                ' ',
                h(
                  'span',
                  { class: `badge badge-${connection.status}`, 'data-testid': 'connection-status' },
                  STATUS_WORDS[connection.status],
                ),
              ),
              h(
                'dl',
                {},
                h('dt', {}, 'Allows'),
                h('dd', {}, connection.actions.map((a) => ACTION_WORDS[a] ?? a).join(', ')),
                h('dt', {}, 'Accounts'),
                h(
                  'dd',
                  {},
                  connection.accounts === 0 ? 'as chosen at the bank' : String(connection.accounts),
                ),
                h('dt', {}, 'Connected'),
                h('dd', {}, formatDate(connection.connectedAt, true)),
                connection.expiresAt === undefined
                  ? undefined
                  : [
                      h('dt', {}, 'Access ends'),
                      h('dd', {}, formatDate(connection.expiresAt, true)),
                    ],
                connection.accessExpiresAt === undefined
                  ? undefined
                  : [
                      h('dt', {}, 'Current token valid until'),
                      h('dd', {}, formatDate(connection.accessExpiresAt, true)),
                    ],
                connection.ended === undefined
                  ? undefined
                  : [
                      h('dt', {}, 'Ended'),
                      h(
                        'dd',
                        {},
                        `${formatDate(connection.ended.at, true)}: ${connection.ended.reason}`,
                      ),
                    ],
              ),
              connection.status === 'active'
                ? h('div', { class: 'actions' }, refresh, disconnect)
                : h(
                    'a',
                    { class: 'button', href: `#/connect/${connection.bankId}` },
                    'Connect again',
                  ),
            )
          }),
        ),
  )
}
