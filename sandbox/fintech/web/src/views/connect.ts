import { ACTION_WORDS, h, render } from '../dom.js'
import { type AppState, continueToBank } from '../main.js'

const OPTIONAL = ['read_balances', 'read_transactions', 'read_payees'] as const

export function connectForm(state: AppState, bankId: string): void {
  const bank = state.session.banks.find((candidate) => candidate.id === bankId)
  if (bank === undefined) {
    render(h('h1', {}, 'Unknown bank'), h('a', { href: '#/' }, 'Choose a bank'))
    return
  }
  const status = h('div', { class: 'form-status', 'aria-live': 'polite' })
  const submit = h('button', { type: 'submit', class: 'primary' }, `Continue to ${bank.name}`)
  const form = h(
    'form',
    {
      class: 'card form',
      onsubmit: async (event: Event) => {
        event.preventDefault()
        const data = new FormData(event.target as HTMLFormElement)
        await continueToBank(
          submit,
          status,
          `Preparing a secure request to ${bank.name}…`,
          '/api/connections',
          {
            bankId,
            actions: data.getAll('actions'),
            durationDays: Number(data.get('duration')),
          },
        )
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, 'What to share'),
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', checked: true, disabled: true }),
        `${ACTION_WORDS.list_accounts} (always)`,
      ),
      OPTIONAL.map((action) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: 'actions', value: action, checked: true }),
          ACTION_WORDS[action],
        ),
      ),
    ),
    h('label', { for: 'duration' }, 'For how long'),
    h(
      'select',
      { id: 'duration', name: 'duration' },
      state.session.durations.map((days) =>
        h('option', { value: days, selected: days === 90 }, days === 1 ? '1 day' : `${days} days`),
      ),
    ),
    h(
      'p',
      { class: 'muted small' },
      `Next you sign in at ${bank.name} and pick the accounts. This app sends the request to the bank directly (a pushed authorization request with PKCE); your browser carries only a reference to it.`,
    ),
    submit,
    status,
  )
  const header = h(
    'div',
    { class: 'bank-banner' },
    h('h1', {}, `Connect ${bank.name}`),
    h('p', {}, bank.profile),
  )
  header.style.setProperty('--brand', bank.brand.primaryColour)
  render(header, form)
}
