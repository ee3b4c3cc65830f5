/**
 * The fintech's server-side state, per browser session: flows in progress, connections with their
 * tokens, and payments. Tokens and keys never reach the browser; the browser holds only an
 * unguessable session id in an HttpOnly cookie. Kept in memory and bounded: the demo fintech
 * forgets its users on restart, as its pages say.
 */
import type { PaymentInitiation } from '@sandbox/spec-types/rar/payment-initiation'
import type { PendingAuthorization, Tokens } from '../client/authorization.js'

/** What the user asked to share when connecting. */
export interface AccountAccessRequest {
  actions: readonly string[]
  durationDays: number
}

export type FlowPurpose =
  | { kind: 'connect'; request: AccountAccessRequest }
  | { kind: 'payment'; instruction: Omit<PaymentInitiation, 'type'> }

export interface PendingFlow {
  pending: PendingAuthorization
  purpose: FlowPurpose
}

export const CONNECTION_STATUSES = ['active', 'ended', 'revoked'] as const
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number]

export interface Connection {
  id: string
  bankId: string
  status: ConnectionStatus
  /** Seconds since the epoch. */
  connectedAt: number
  tokens: Tokens
  /** What the bank granted: actions and the accounts the user chose (RFC 9396 section 7). */
  actions: readonly string[]
  accounts: readonly string[]
  /** When the consent ends (the granted `expiresAt`), seconds since the epoch. */
  expiresAt: number | undefined
  /** Why and when it stopped working, once it has. */
  ended?: { at: number; reason: string } | undefined
}

export interface PaymentRecord {
  id: string
  bankId: string
  /** The bank's URL for the payment (its `Location`). */
  url: string
  paymentId: string
  accessToken: string
  accessExpiresAt: number | undefined
  instruction: Omit<PaymentInitiation, 'type'>
  /** The payment as the bank last described it. */
  last: Record<string, unknown>
  createdAt: number
}

/** A message for the next page the browser shows (the outcome of a redirect). */
export interface Notice {
  kind: 'success' | 'error' | 'info'
  title: string
  message: string
  /** The rule a refused response broke, when one did. */
  rule?: { id: string; description: string } | undefined
  /** The bank to offer reconnecting to. */
  reconnect?: string | undefined
}

export interface Session {
  id: string
  csrfToken: string
  lastSeen: number
  pending: Map<string, PendingFlow>
  connections: Map<string, Connection>
  payments: Map<string, PaymentRecord>
  notice: Notice | undefined
}

/** Sandbox policy: sessions idle for 12 hours are forgotten, and at most 2,000 are kept. */
export const SESSION_IDLE_MS = 12 * 3600_000
export const MAX_SESSIONS = 2000
/** At most this many flows in progress per browser (each tab may start one). */
export const MAX_PENDING_FLOWS = 20

export interface SessionStore {
  get(id: string | undefined): Session | undefined
  create(): Session
  /** Every live session (the console's view of the fintech). */
  size(): number
}

export function createSessionStore(deps: {
  now: () => number
  randomId: () => string
}): SessionStore {
  // A Map iterates in insertion order; touching a session moves it to the end (LRU).
  const sessions = new Map<string, Session>()
  const expired = (session: Session) => deps.now() - session.lastSeen > SESSION_IDLE_MS
  return {
    get(id) {
      if (id === undefined) return undefined
      const session = sessions.get(id)
      if (session === undefined) return undefined
      sessions.delete(id)
      if (expired(session)) return undefined
      session.lastSeen = deps.now()
      sessions.set(id, session)
      return session
    },
    create() {
      while (sessions.size >= MAX_SESSIONS) {
        const oldest = sessions.keys().next().value
        if (oldest === undefined) break
        sessions.delete(oldest)
      }
      const session: Session = {
        id: deps.randomId(),
        csrfToken: deps.randomId(),
        lastSeen: deps.now(),
        pending: new Map(),
        connections: new Map(),
        payments: new Map(),
        notice: undefined,
      }
      sessions.set(session.id, session)
      return session
    },
    size: () => sessions.size,
  }
}

/** Keeps a flow until its callback, dropping the oldest when a browser holds too many. */
export function addPendingFlow(session: Session, flow: PendingFlow): void {
  while (session.pending.size >= MAX_PENDING_FLOWS) {
    const oldest = session.pending.keys().next().value
    if (oldest === undefined) break
    session.pending.delete(oldest)
  }
  session.pending.set(flow.pending.state, flow)
}
