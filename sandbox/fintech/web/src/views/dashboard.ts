/** The dashboard: accounts and balances across every connected bank, and spending by category. */
import { type Balance, type BankAccounts, type BankProblem, call } from '../api.js'
import { append, formatMoney, h, identificationText, render, svg } from '../dom.js'
import { type AppState, problemView } from '../main.js'

function balanceText(balances: Balance[]): string {
  const balance = balances.find((b) => b.type === 'available') ?? balances[0]
  if (balance === undefined) return '—'
  const sign = balance.creditDebitIndicator === 'debit' ? '-' : ''
  return formatMoney(`${sign}${balance.amount.amount}`, balance.amount.currency)
}

function bankProblem(problem: BankProblem): HTMLElement {
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('h3', {}, problem.title),
    h('p', {}, problem.detail),
    problem.action === 'reconnect'
      ? h(
          'a',
          { class: 'button', href: `#/connect/${problem.bankId}` },
          `Reconnect ${problem.bankName}`,
        )
      : undefined,
  )
}

function accountsSection(bank: BankAccounts): HTMLElement {
  const section = h(
    'section',
    { class: 'bank-section', 'aria-labelledby': `bank-${bank.bankId}` },
    h('h2', { id: `bank-${bank.bankId}` }, bank.bankName),
    bank.accounts.length === 0
      ? h('p', { class: 'empty' }, 'No accounts were shared from this bank.')
      : h(
          'ul',
          { class: 'accounts' },
          bank.accounts.map((account) =>
            h(
              'li',
              { class: 'account' },
              h(
                'div',
                {},
                h('h3', {}, account.nickname ?? account.name),
                h(
                  'p',
                  { class: 'muted' },
                  account.maskedPan ?? identificationText(account.identification),
                ),
              ),
              h(
                'div',
                { class: 'amount' },
                h(
                  'span',
                  { class: 'balance', 'data-testid': 'balance' },
                  balanceText(account.balances),
                ),
                bank.actions.includes('read_transactions')
                  ? h(
                      'a',
                      { href: `#/accounts/${bank.connectionId}/${account.accountId}` },
                      'Transactions',
                    )
                  : undefined,
              ),
            ),
          ),
        ),
  )
  section.style.setProperty('--brand', bank.brand.primaryColour)
  return section
}

const CATEGORY_COLOURS = [
  '#4f46e5',
  '#0891b2',
  '#16a34a',
  '#ca8a04',
  '#dc2626',
  '#9333ea',
  '#db2777',
  '#ea580c',
  '#0d9488',
  '#64748b',
  '#2563eb',
  '#65a30d',
]

interface Spending {
  currencies: Array<{
    currency: string
    months: Array<{ month: string; categories: Record<string, string> }>
  }>
  problems: BankProblem[]
}

/** Stacked bars, one per month, with a legend and a table for screen readers. */
function spendingChart(spending: Spending['currencies'][number]): HTMLElement {
  const categories = [...new Set(spending.months.flatMap((m) => Object.keys(m.categories)))].sort()
  const colour = (category: string) =>
    CATEGORY_COLOURS[categories.indexOf(category) % CATEGORY_COLOURS.length] ?? '#64748b'
  const totals = spending.months.map((m) =>
    Object.values(m.categories).reduce((sum, value) => sum + Number(value), 0),
  )
  const max = Math.max(1, ...totals)
  const width = 80 * spending.months.length
  const chart = svg(
    'svg',
    {
      viewBox: `0 0 ${width} 220`,
      role: 'img',
      'aria-label': `Spending by month in ${spending.currency}`,
    },
    spending.months.map((month, index) => {
      let y = 190
      const bars = categories.map((category) => {
        const value = Number(month.categories[category] ?? 0)
        const height = (value / max) * 170
        y -= height
        return svg(
          'rect',
          { x: index * 80 + 20, y, width: 40, height, fill: colour(category) },
          svg('title', {}, `${category.replaceAll('_', ' ')}: ${value.toFixed(2)}`),
        )
      })
      return svg(
        'g',
        {},
        bars,
        svg(
          'text',
          { x: index * 80 + 40, y: 210, 'text-anchor': 'middle', class: 'axis' },
          month.month,
        ),
      )
    }),
  )
  return h(
    'figure',
    { class: 'chart' },
    h('h3', {}, spending.currency),
    chart,
    h(
      'ul',
      { class: 'legend' },
      categories.map((category) => {
        const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' })
        swatch.style.setProperty('background', colour(category))
        return h('li', {}, swatch, category.replaceAll('_', ' '))
      }),
    ),
    h(
      'figcaption',
      {},
      `Spending in ${spending.currency}, last ${spending.months.length} months: `,
      spending.months
        .map((m, i) => `${m.month} ${formatMoney((totals[i] ?? 0).toFixed(2), spending.currency)}`)
        .join(', '),
    ),
  )
}

async function spendingSection(target: HTMLElement): Promise<void> {
  try {
    const spending = await call<Spending>('GET', '/api/spending')
    target.replaceChildren()
    append(target, [
      h('h2', {}, 'Spending by category'),
      spending.currencies.length === 0
        ? h('p', { class: 'empty' }, 'Share transactions from a bank to see your spending here.')
        : spending.currencies.map(spendingChart),
      spending.problems.map(bankProblem),
    ])
  } catch (error) {
    target.replaceChildren(h('h2', {}, 'Spending by category'), problemView(error))
  }
}

export async function dashboard(state: AppState): Promise<void> {
  render(
    h('h1', {}, 'Your accounts'),
    h('p', { class: 'loading', role: 'status' }, 'Loading your accounts…'),
  )
  let data: { banks: BankAccounts[]; problems: BankProblem[] }
  try {
    data = await call('GET', '/api/accounts')
  } catch (error) {
    render(
      h('h1', {}, 'Your accounts'),
      problemView(error, () => void dashboard(state)),
    )
    return
  }
  if (data.banks.length === 0 && data.problems.length === 0) {
    render(
      h('h1', {}, 'Your accounts'),
      h(
        'div',
        { class: 'empty-state' },
        h('p', {}, 'No bank is connected yet.'),
        h('a', { class: 'button primary', href: '#/' }, 'Connect a bank'),
      ),
    )
    return
  }
  const spending = h(
    'section',
    { class: 'spending', 'aria-live': 'polite' },
    h('h2', {}, 'Spending by category'),
    h('p', { class: 'loading' }, 'Adding up your spending…'),
  )
  render(
    h('h1', {}, 'Your accounts'),
    data.problems.map(bankProblem),
    data.banks.map(accountsSection),
    spending,
  )
  void spendingSection(spending)
}
