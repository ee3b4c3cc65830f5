/** One account's transactions: newest first, page by page, with search. */
import { call, type Transaction } from '../api.js'
import { formatDate, formatMoney, h, render } from '../dom.js'
import { type AppState, problemView } from '../main.js'

interface Page {
  transactions: Transaction[]
  nextCursor?: string
  prevCursor?: string
}

export function transactionsPage(_state: AppState, connectionId: string, accountId: string): void {
  const results = h('div', { 'aria-live': 'polite' })
  const search = h('input', {
    id: 'search',
    type: 'search',
    name: 'text',
    maxlength: 100,
    placeholder: 'Merchant or reference',
  }) as HTMLInputElement
  let text = ''

  const load = async (cursor: { after?: string; before?: string } = {}) => {
    results.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Loading transactions…'))
    const query = new URLSearchParams({ limit: '20', ...cursor, ...(text === '' ? {} : { text }) })
    let page: Page
    try {
      page = await call<Page>(
        'GET',
        `/api/connections/${encodeURIComponent(connectionId)}/accounts/${encodeURIComponent(accountId)}/transactions?${query}`,
      )
    } catch (error) {
      results.replaceChildren(problemView(error, () => void load(cursor)))
      return
    }
    results.replaceChildren(
      page.transactions.length === 0
        ? h(
            'p',
            { class: 'empty' },
            text === '' ? 'No transactions yet.' : `Nothing matches “${text}”.`,
          )
        : h(
            'table',
            { class: 'transactions' },
            h('caption', { class: 'visually-hidden' }, 'Transactions, newest first'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, 'Date'),
                h('th', { scope: 'col' }, 'Description'),
                h('th', { scope: 'col' }, 'Category'),
                h('th', { scope: 'col', class: 'num' }, 'Amount'),
              ),
            ),
            h(
              'tbody',
              {},
              page.transactions.map((t) =>
                h(
                  'tr',
                  {},
                  h('td', {}, formatDate(t.bookingDateTime)),
                  h(
                    'td',
                    {},
                    t.merchant?.name ?? t.counterparty?.name ?? t.reference ?? '—',
                    t.status === 'pending' ? h('span', { class: 'badge' }, 'pending') : undefined,
                  ),
                  h('td', {}, t.category.replaceAll('_', ' ')),
                  h(
                    'td',
                    { class: `num ${t.creditDebitIndicator}` },
                    formatMoney(
                      `${t.creditDebitIndicator === 'debit' ? '-' : ''}${t.amount.amount}`,
                      t.amount.currency,
                    ),
                  ),
                ),
              ),
            ),
          ),
      h(
        'div',
        { class: 'pager' },
        h(
          'button',
          {
            type: 'button',
            disabled: page.prevCursor === undefined,
            onclick: () =>
              void load(page.prevCursor === undefined ? {} : { before: page.prevCursor }),
          },
          '← Newer',
        ),
        h(
          'button',
          {
            type: 'button',
            disabled: page.nextCursor === undefined,
            onclick: () =>
              void load(page.nextCursor === undefined ? {} : { after: page.nextCursor }),
          },
          'Older →',
        ),
      ),
    )
  }

  render(
    h('p', {}, h('a', { href: '#/dashboard' }, '← All accounts')),
    h('h1', {}, 'Transactions'),
    h(
      'form',
      {
        class: 'search',
        role: 'search',
        onsubmit: (event: Event) => {
          event.preventDefault()
          text = search.value.trim()
          void load()
        },
      },
      h('label', { for: 'search' }, 'Search'),
      search,
      h('button', { type: 'submit' }, 'Search'),
    ),
    results,
  )
  void load()
}
