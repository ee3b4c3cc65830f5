/** Refresh tokens (RFC 6749 section 6), kept as hashes and bound to a grant, a client and a key. */
import type { Executor } from '../database.js'

export interface RefreshTokenRecord {
  /** base64url SHA-256 of the token. */
  tokenHash: string
  grantId: string
  clientId: string
  /** Exactly one: the DPoP key thumbprint or the certificate thumbprint (FAPI 2.0 SP 5.3.2.1-4). */
  cnf: { jkt: string } | { 'x5t#S256': string }
  scope?: string | undefined
  /** Unix seconds. */
  createdAt: number
  expiresAt: number
  revokedAt?: number | undefined
}

interface RefreshTokenRow {
  token_hash: string
  grant_id: string
  client_id: string
  cnf_jkt: string | null
  cnf_x5t_s256: string | null
  scope: string | null
  created_at: number
  expires_at: number
  revoked_at: number | null
}

function toRecord(row: RefreshTokenRow): RefreshTokenRecord {
  return {
    tokenHash: row.token_hash,
    grantId: row.grant_id,
    clientId: row.client_id,
    cnf: row.cnf_jkt !== null ? { jkt: row.cnf_jkt } : { 'x5t#S256': row.cnf_x5t_s256 ?? '' },
    scope: row.scope ?? undefined,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at ?? undefined,
  }
}

export function createRefreshTokenRepository(db: Executor) {
  return {
    async get(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
      const row = await db.get<RefreshTokenRow>(
        { purpose: 'read refresh token', sql: 'SELECT * FROM refresh_tokens WHERE token_hash = ?' },
        [tokenHash],
      )
      return row === undefined ? undefined : toRecord(row)
    },
    async insert(token: RefreshTokenRecord): Promise<void> {
      await db.run(
        {
          purpose: 'insert refresh token',
          sql: 'INSERT INTO refresh_tokens VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        },
        [
          token.tokenHash,
          token.grantId,
          token.clientId,
          'jkt' in token.cnf ? token.cnf.jkt : null,
          'x5t#S256' in token.cnf ? token.cnf['x5t#S256'] : null,
          token.scope ?? null,
          token.createdAt,
          token.expiresAt,
          token.revokedAt ?? null,
        ],
      )
    },
  }
}

export type RefreshTokenRepository = ReturnType<typeof createRefreshTokenRepository>
