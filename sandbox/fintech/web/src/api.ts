/** The fintech back end's JSON API as the pages call it; errors arrive as problem documents. */

export interface Bank {
  id: string
  name: string
  brand: { primaryColour: string; accentColour: string }
  currency: string
  profile: string
  connected: boolean
}

export interface Notice {
  kind: 'success' | 'error' | 'info'
  title: string
  message: string
  rule?: { id: string; description: string }
  reconnect?: string
}

export interface SessionInfo {
  csrfToken: string
  banks: Bank[]
  durations: number[]
  notice?: Notice
}

export interface Problem {
  title: string
  detail: string
  status: number
  action?: 'reconnect' | 'retry' | 'none'
  bankId?: string
}

export class ApiError extends Error {
  readonly problem: Problem
  constructor(problem: Problem) {
    super(problem.detail)
    this.problem = problem
  }
}

let csrfToken = ''

export async function loadSession(): Promise<SessionInfo> {
  const session = await call<SessionInfo>('GET', '/api/session')
  csrfToken = session.csrfToken
  return session
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  } catch {
    throw new ApiError({
      title: 'This app is not reachable',
      detail: 'Check that the sandbox is running, then try again.',
      status: 0,
      action: 'retry',
    })
  }
  const text = await res.text()
  const parsed = text === '' ? undefined : (JSON.parse(text) as unknown)
  if (!res.ok) {
    const problem = (parsed ?? {}) as Partial<Problem>
    throw new ApiError({
      title: problem.title ?? 'Something went wrong',
      detail: problem.detail ?? `The app answered ${res.status}.`,
      status: res.status,
      ...(problem.action === undefined ? {} : { action: problem.action }),
      ...(problem.bankId === undefined ? {} : { bankId: problem.bankId }),
    })
  }
  return parsed as T
}

export interface Balance {
  type: 'booked' | 'available'
  amount: { amount: string; currency: string }
  creditDebitIndicator: 'credit' | 'debit'
}

export interface Account {
  accountId: string
  type: string
  currency: string
  name: string
  nickname?: string
  identification?: unknown
  maskedPan?: string
  balances: Balance[]
}

export interface BankAccounts {
  bankId: string
  bankName: string
  brand: Bank['brand']
  connectionId: string
  actions: string[]
  accounts: Account[]
}

export interface BankProblem {
  bankId: string
  bankName: string
  title: string
  detail: string
  action: string
}

export interface Transaction {
  transactionId: string
  status: 'booked' | 'pending'
  bookingDateTime: string
  amount: { amount: string; currency: string }
  creditDebitIndicator: 'credit' | 'debit'
  category: string
  merchant?: { name: string }
  counterparty?: { name: string }
  reference?: string
}

export interface Connection {
  id: string
  bankId: string
  bankName: string
  status: 'active' | 'ended' | 'revoked'
  connectedAt: string
  expiresAt?: string
  accessExpiresAt?: string
  actions: string[]
  accounts: number
  grantId?: string
  ended?: { at: string; reason: string }
}

export interface Payee {
  payeeId: string
  bankId: string
  name: string
  account: unknown
  reference?: string
}

export interface Payment {
  id: string
  bankId: string
  bankName: string
  status:
    | 'pending'
    | 'accepted_settlement_in_process'
    | 'accepted_settlement_completed'
    | 'rejected'
  statusReason?: string
  amount: string
  currency: string
  creditorName: string
  reference?: string
  createdAt: string
  final: boolean
}
