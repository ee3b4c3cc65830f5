/** Grants: what a customer consented to for one client (FAPI Grant Management), and their end. */
import type { GrantStatus } from '@sandbox/spec-types/grant'
import type { AuthorizationDetails } from '@sandbox/spec-types/rar/authorization-details'
import type { Executor } from '../database.js'

export interface GrantRecord {
  id: string
  clientId: string
  customerId: string
  status: GrantStatus
  scope?: string | undefined
  /** As granted: the requested details narrowed to what the user chose (e.g. the accounts). */
  authorizationDetails?: AuthorizationDetails | undefined
  /** Unix seconds. */
  createdAt: number
  updatedAt: number
  expiresAt?: number | undefined
  revokedAt?: number | undefined
  revokedReason?: string | undefined
}

interface GrantRow {
  id: string
  client_id: string
  customer_id: string
  status: GrantStatus
  scope: string | null
  authorization_details: string | null
  created_at: number
  updated_at: number
  expires_at: number | null
  revoked_at: number | null
  revoked_reason: string | null
}

function toRecord(row: GrantRow): GrantRecord {
  return {
    id: row.id,
    clientId: row.client_id,
    customerId: row.customer_id,
    status: row.status,
    scope: row.scope ?? undefined,
    authorizationDetails:
      row.authorization_details === null
        ? undefined
        : (JSON.parse(row.authorization_details) as AuthorizationDetails),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at ?? undefined,
    revokedAt: row.revoked_at ?? undefined,
    revokedReason: row.revoked_reason ?? undefined,
  }
}

/** A grant past its expiry reads as expired, whatever its stored status says. */
export function effectiveStatus(grant: GrantRecord, now: number): GrantStatus {
  if (grant.status === 'active' && grant.expiresAt !== undefined && grant.expiresAt <= now)
    return 'expired'
  return grant.status
}

export function createGrantRepository(db: Executor) {
  return {
    async get(id: string): Promise<GrantRecord | undefined> {
      const row = await db.get<GrantRow>(
        { purpose: 'read grant', sql: 'SELECT * FROM grants WHERE id = ?' },
        [id],
      )
      return row === undefined ? undefined : toRecord(row)
    },
    /** Every customer's grants, newest first, at most `limit` (the sandbox console). */
    async listRecent(limit = 100): Promise<GrantRecord[]> {
      const rows = await db.all<GrantRow>(
        {
          purpose: 'list recent grants',
          sql: 'SELECT * FROM grants ORDER BY created_at DESC, id LIMIT ?',
        },
        [Math.min(Math.max(limit, 1), 1000)],
      )
      return rows.map(toRecord)
    },
    /** A customer's grants, newest first (the bank's "connected apps" page). */
    async listByCustomer(customerId: string): Promise<GrantRecord[]> {
      const rows = await db.all<GrantRow>(
        {
          purpose: 'list grants of a customer',
          sql: 'SELECT * FROM grants WHERE customer_id = ? ORDER BY created_at DESC, id',
        },
        [customerId],
      )
      return rows.map(toRecord)
    },
    async insert(grant: GrantRecord): Promise<void> {
      await db.run(
        {
          purpose: 'insert grant',
          sql: 'INSERT INTO grants VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        },
        [
          grant.id,
          grant.clientId,
          grant.customerId,
          grant.status,
          grant.scope ?? null,
          grant.authorizationDetails === undefined
            ? null
            : JSON.stringify(grant.authorizationDetails),
          grant.createdAt,
          grant.updatedAt,
          grant.expiresAt ?? null,
          grant.revokedAt ?? null,
          grant.revokedReason ?? null,
        ],
      )
    },
    /**
     * Ends an active grant and its refresh tokens in one transaction; true when it was active.
     * Access tokens of the grant die with it: the resource server checks the grant on each call.
     */
    async revoke(id: string, now: number, reason: string): Promise<boolean> {
      const result = await db.run(
        {
          purpose: 'revoke grant',
          sql: `UPDATE grants SET status = 'revoked', revoked_at = ?, revoked_reason = ?, updated_at = ?
            WHERE id = ? AND status = 'active'`,
        },
        [now, reason, now, id],
      )
      await db.run(
        {
          purpose: 'revoke refresh tokens of a grant',
          sql: 'UPDATE refresh_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL',
        },
        [now, id],
      )
      return result.changes === 1
    },
  }
}

export type GrantRepository = ReturnType<typeof createGrantRepository>
