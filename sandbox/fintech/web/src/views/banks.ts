/** Choose your bank: the banks this app can connect to, in their own colours, with their profile. */
import { h, render } from '../dom.js'
import type { AppState } from '../main.js'

export function bankCard(bank: AppState['session']['banks'][number], action: HTMLElement) {
  const card = h(
    'li',
    { class: 'bank-card' },
    h('span', { class: 'bank-mark', 'aria-hidden': 'true' }, bank.name.slice(0, 1)),
    h(
      'div',
      { class: 'bank-text' },
      h('h2', {}, bank.name),
      h('p', { class: 'muted' }, bank.profile),
    ),
    action,
  )
  card.style.setProperty('--brand', bank.brand.primaryColour)
  card.style.setProperty('--accent', bank.brand.accentColour)
  return card
}

export async function bankPicker(state: AppState): Promise<void> {
  await state.refresh()
  const { banks } = state.session
  render(
    h('h1', {}, 'Connect your bank'),
    h(
      'p',
      { class: 'lead' },
      'Pick a bank to see your accounts here. You sign in at the bank itself, and you choose what to share.',
    ),
    h(
      'ul',
      { class: 'bank-list' },
      banks.map((bank) =>
        bankCard(
          bank,
          bank.connected
            ? h('span', { class: 'badge' }, 'Connected')
            : h('a', { class: 'button', href: `#/connect/${bank.id}` }, `Connect ${bank.name}`),
        ),
      ),
    ),
  )
}
