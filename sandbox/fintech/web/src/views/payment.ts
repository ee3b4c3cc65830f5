/** A payment's status as the bank reports it, read again every second until it is final. */
import { call, type Payment } from '../api.js'
import { formatDate, formatMoney, h, render } from '../dom.js'
import { type AppState, problemView } from '../main.js'

const STEPS = [
  ['pending', 'Received by the bank'],
  ['accepted_settlement_in_process', 'Accepted, being settled'],
  ['accepted_settlement_completed', 'Settled'],
] as const

const STATUS_WORDS: Record<Payment['status'], string> = {
  pending: 'Pending',
  accepted_settlement_in_process: 'Being settled',
  accepted_settlement_completed: 'Settled',
  rejected: 'Rejected',
}

export async function paymentStatus(_state: AppState, id: string): Promise<void> {
  const hash = location.hash
  render(h('h1', {}, 'Payment'), h('p', { class: 'loading', role: 'status' }, 'Asking the bank…'))
  for (;;) {
    let payment: Payment
    try {
      payment = await call<Payment>('GET', `/api/payments/${encodeURIComponent(id)}`)
    } catch (error) {
      render(
        h('h1', {}, 'Payment'),
        problemView(error, () => void paymentStatus(_state, id)),
      )
      return
    }
    if (location.hash !== hash) return
    const reached = STEPS.findIndex(([status]) => status === payment.status)
    render(
      h('h1', {}, `Payment to ${payment.creditorName}`),
      h(
        'div',
        { class: 'card payment' },
        h('p', { class: 'big' }, formatMoney(payment.amount, payment.currency)),
        h(
          'p',
          { class: 'muted' },
          `From ${payment.bankName} · ${formatDate(payment.createdAt, true)}`,
          payment.reference === undefined ? undefined : ` · “${payment.reference}”`,
        ),
        h(
          'p',
          {
            class: `status status-${payment.status}`,
            role: 'status',
            'data-testid': 'payment-status',
          },
          STATUS_WORDS[payment.status],
        ),
        payment.status === 'rejected'
          ? h('p', { class: 'problem' }, payment.statusReason ?? 'The bank rejected the payment.')
          : h(
              'ol',
              { class: 'steps' },
              STEPS.map(([, words], index) =>
                h('li', { class: index <= reached ? 'done' : 'todo' }, words),
              ),
            ),
        payment.final
          ? h('a', { class: 'button', href: '#/dashboard' }, 'Back to your accounts')
          : h('p', { class: 'muted small' }, 'Updating live…'),
      ),
    )
    if (payment.final) return
    await new Promise((resolve) => setTimeout(resolve, 1000))
    if (location.hash !== hash) return
  }
}
