/** Pay someone: amount, payee (saved or new) and reference, approved at the bank as one payment. */
import { type BankAccounts, call, type Payee } from '../api.js'
import { h, identificationText, render } from '../dom.js'
import { type AppState, continueToBank } from '../main.js'

function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: input.id }, label),
    input,
    hint === undefined ? undefined : h('p', { class: 'muted small' }, hint),
  )
}

export async function payForm(state: AppState): Promise<void> {
  render(h('h1', {}, 'Pay someone'), h('p', { class: 'loading', role: 'status' }, 'Loading…'))
  let accounts: BankAccounts[] = []
  let payees: Payee[] = []
  try {
    const [listed, saved] = await Promise.all([
      call<{ banks: BankAccounts[] }>('GET', '/api/accounts'),
      call<{ payees: Payee[] }>('GET', '/api/payees'),
    ])
    accounts = listed.banks
    payees = saved.payees
  } catch {
    // Paying works without any connection: the user picks the account at the bank.
  }
  const banks = state.session.banks
  const bankSelect = h(
    'select',
    { id: 'bank', name: 'bankId', required: true },
    banks.map((bank) => h('option', { value: bank.id }, `${bank.name} (${bank.currency})`)),
  ) as HTMLSelectElement
  const fromSelect = h('select', { id: 'from', name: 'from' }) as HTMLSelectElement
  const payeeSelect = h('select', { id: 'payee', name: 'payee' }) as HTMLSelectElement
  const ibanFields = field(
    'IBAN',
    h('input', {
      id: 'iban',
      name: 'iban',
      autocomplete: 'off',
      placeholder: 'GB33BUKB20201555555555',
    }),
    'Letters and digits, no spaces needed',
  )
  const sortCodeFields = h(
    'div',
    { class: 'pair' },
    field(
      'Sort code',
      h('input', {
        id: 'sort-code',
        name: 'sortCode',
        inputmode: 'numeric',
        placeholder: '200000',
      }),
    ),
    field(
      'Account number',
      h('input', {
        id: 'account-number',
        name: 'accountNumber',
        inputmode: 'numeric',
        placeholder: '55779911',
      }),
    ),
  )
  const newPayee = h(
    'fieldset',
    { class: 'new-payee' },
    h('legend', {}, 'New payee'),
    field(
      'Name',
      h('input', { id: 'creditor-name', name: 'creditorName', maxlength: 70, autocomplete: 'off' }),
    ),
    field(
      'Account',
      h(
        'select',
        { id: 'scheme', name: 'scheme' },
        h('option', { value: 'IBAN' }, 'IBAN'),
        h('option', { value: 'SortCodeAccountNumber' }, 'UK sort code and account number'),
      ),
    ),
    ibanFields,
    sortCodeFields,
  )
  const schemeSelect = newPayee.querySelector('#scheme') as HTMLSelectElement
  const showScheme = () => {
    ibanFields.hidden = schemeSelect.value !== 'IBAN'
    sortCodeFields.hidden = schemeSelect.value === 'IBAN'
  }
  schemeSelect.addEventListener('change', showScheme)
  showScheme()
  const refill = () => {
    const bankId = bankSelect.value
    const own =
      accounts
        .find((bank) => bank.bankId === bankId)
        ?.accounts.filter((a) => a.identification !== undefined) ?? []
    fromSelect.replaceChildren(
      h('option', { value: '' }, 'Choose at the bank'),
      ...own.map((account, index) =>
        h(
          'option',
          { value: String(index) },
          `${account.nickname ?? account.name} · ${identificationText(account.identification)}`,
        ),
      ),
    )
    const saved = payees.filter((payee) => payee.bankId === bankId)
    payeeSelect.replaceChildren(
      h('option', { value: '' }, 'A new payee'),
      ...saved.map((payee, index) =>
        h(
          'option',
          { value: String(index) },
          `${payee.name} · ${identificationText(payee.account)}`,
        ),
      ),
    )
    newPayee.hidden = false
  }
  bankSelect.addEventListener('change', refill)
  payeeSelect.addEventListener('change', () => {
    newPayee.hidden = payeeSelect.value !== ''
  })
  refill()

  const status = h('div', { 'aria-live': 'polite' })
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Continue to your bank')
  const form = h(
    'form',
    {
      class: 'card form',
      onsubmit: async (event: Event) => {
        event.preventDefault()
        const data = new FormData(event.target as HTMLFormElement)
        const bankId = String(data.get('bankId'))
        const text = (name: string) => String(data.get(name) ?? '').trim()
        const savedPayee =
          payeeSelect.value === ''
            ? undefined
            : payees.filter((p) => p.bankId === bankId)[Number(payeeSelect.value)]
        const ownAccount =
          fromSelect.value === ''
            ? undefined
            : accounts
                .find((bank) => bank.bankId === bankId)
                ?.accounts.filter((a) => a.identification !== undefined)[Number(fromSelect.value)]
        const creditorAccount =
          savedPayee?.account ??
          (text('scheme') === 'IBAN'
            ? { scheme: 'IBAN', iban: text('iban').replaceAll(' ', '').toUpperCase() }
            : {
                scheme: 'SortCodeAccountNumber',
                sortCode: text('sortCode').replaceAll('-', ''),
                accountNumber: text('accountNumber'),
              })
        await continueToBank(submit, status, 'Preparing the payment request…', '/api/payments', {
          bankId,
          amount: text('amount'),
          creditorName: savedPayee?.name ?? text('creditorName'),
          creditorAccount,
          ...(text('reference') === '' ? {} : { reference: text('reference') }),
          ...(ownAccount === undefined ? {} : { debtorAccount: ownAccount.identification }),
        })
      },
    },
    field('Pay from bank', bankSelect),
    field('From account', fromSelect),
    field('To', payeeSelect),
    newPayee,
    field(
      'Amount',
      h('input', {
        id: 'amount',
        name: 'amount',
        required: true,
        inputmode: 'decimal',
        pattern: '[0-9]+([.][0-9]{1,2})?',
        autocomplete: 'off',
        placeholder: '12.50',
      }),
      'In the bank’s currency',
    ),
    field(
      'Reference',
      h('input', { id: 'reference', name: 'reference', maxlength: 140, autocomplete: 'off' }),
    ),
    h(
      'p',
      { class: 'muted small' },
      'You approve exactly this payment at your bank; the bank then executes it once.',
    ),
    submit,
    status,
  )
  render(h('h1', {}, 'Pay someone'), form)
}
