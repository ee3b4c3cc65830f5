/**
 * Bank schema 0002: what the bank's authorization server keeps beyond one request — registered
 * clients (RFC 7591), grants (FAPI Grant Management), refresh tokens (RFC 6749 section 6) and
 * revoked access tokens (RFC 7009). Pushed requests, codes and login sessions live at most minutes
 * and stay in memory; the resource server reads grants and revocations from here, so a revocation
 * takes effect on the API's next request.
 */
import type { Migration } from '../migrations.js'

// Times are Unix seconds (INTEGER): tokens and assertions speak NumericDate (RFC 7519 section 2),
// and expiry checks compare numbers. JSON columns hold wire shapes verbatim.
export const oauthSchema: Migration = {
  version: 2,
  name: 'oauth clients, grants and tokens',
  up: `
CREATE TABLE clients (
  client_id TEXT PRIMARY KEY,
  -- RFC 7591 section 3.2.1 client information, minus the registration access token.
  metadata TEXT NOT NULL CHECK (json_valid(metadata)),
  -- RFC 7592 section 3: only the SHA-256 of the registration access token is kept.
  registration_token_hash TEXT,
  -- Sandbox convenience: consent decided without pages ('approve' or 'deny'), never for the demo fintech.
  automatic_consent TEXT CHECK (automatic_consent IN ('approve', 'deny')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  status TEXT NOT NULL CHECK (status IN ('active', 'revoked', 'expired')),
  scope TEXT,
  authorization_details TEXT CHECK (authorization_details IS NULL OR json_valid(authorization_details)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  -- Why it ended, in words a user or a workshop can read ('revoked by the user', 'code replayed').
  revoked_reason TEXT
) STRICT;

CREATE INDEX grants_by_customer ON grants (customer_id, created_at);
CREATE INDEX grants_by_client ON grants (client_id);

CREATE TABLE refresh_tokens (
  -- SHA-256 of the token, base64url: a stolen database file holds no usable token.
  token_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  -- The sender constraint of the tokens it refreshes: exactly one of the two (FAPI 2.0 SP 5.3.2.1-4).
  cnf_jkt TEXT,
  cnf_x5t_s256 TEXT,
  scope TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  CHECK ((cnf_jkt IS NULL) <> (cnf_x5t_s256 IS NULL))
) STRICT;

CREATE INDEX refresh_tokens_by_grant ON refresh_tokens (grant_id);

-- Access tokens are self-contained JWTs (RFC 9068); one revoked before it expires is listed here
-- until its exp, for tokens that belong to no grant (client_credentials).
CREATE TABLE revoked_access_tokens (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT;
`,
}
