/** Access tokens revoked before their expiry (RFC 7009 section 2), listed by jti until they expire. */
import type { Executor } from '../database.js'

export function createRevokedAccessTokenRepository(db: Executor) {
  return {
    async isRevoked(jti: string): Promise<boolean> {
      const row = await db.get<{ jti: string }>(
        {
          purpose: 'check revoked access token',
          sql: 'SELECT jti FROM revoked_access_tokens WHERE jti = ?',
        },
        [jti],
      )
      return row !== undefined
    },
    /** Idempotent: revoking twice is not an error (RFC 7009 section 2.2). */
    async revoke(jti: string, expiresAt: number): Promise<void> {
      await db.run(
        {
          purpose: 'revoke access token',
          sql: 'INSERT INTO revoked_access_tokens VALUES (?, ?) ON CONFLICT (jti) DO NOTHING',
        },
        [jti, expiresAt],
      )
    },
    /** Drops entries whose token has expired anyway. */
    async sweep(now: number): Promise<number> {
      const result = await db.run(
        {
          purpose: 'sweep revoked access tokens',
          sql: 'DELETE FROM revoked_access_tokens WHERE expires_at <= ?',
        },
        [now],
      )
      return result.changes
    },
  }
}

export type RevokedAccessTokenRepository = ReturnType<typeof createRevokedAccessTokenRepository>
