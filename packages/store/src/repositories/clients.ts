/** Registered OAuth clients (RFC 7591 section 3.2.1; RFC 7592 for their management credentials). */
import type { ClientInformation } from '@sandbox/spec-types/oauth/registration'
import type { Executor } from '../database.js'

/** The sandbox-only consent shortcut a client may be registered with (issue 3, headless tests). */
export type AutomaticConsent = 'approve' | 'deny'

export interface ClientRecord {
  clientId: string
  /** The client information as registered, without `registration_access_token`. */
  metadata: ClientInformation
  /** base64url SHA-256 of the RFC 7592 registration access token, when one was issued. */
  registrationTokenHash?: string | undefined
  automaticConsent?: AutomaticConsent | undefined
  /** Unix seconds. */
  createdAt: number
  updatedAt: number
}

interface ClientRow {
  client_id: string
  metadata: string
  registration_token_hash: string | null
  automatic_consent: AutomaticConsent | null
  created_at: number
  updated_at: number
}

function toRecord(row: ClientRow): ClientRecord {
  return {
    clientId: row.client_id,
    metadata: JSON.parse(row.metadata) as ClientInformation,
    registrationTokenHash: row.registration_token_hash ?? undefined,
    automaticConsent: row.automatic_consent ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function metadataText(record: ClientRecord): string {
  const { registration_access_token: _secret, ...metadata } = record.metadata
  return JSON.stringify(metadata)
}

export function createClientRepository(db: Executor) {
  return {
    async get(clientId: string): Promise<ClientRecord | undefined> {
      const row = await db.get<ClientRow>(
        { purpose: 'read client', sql: 'SELECT * FROM clients WHERE client_id = ?' },
        [clientId],
      )
      return row === undefined ? undefined : toRecord(row)
    },
    async list(): Promise<ClientRecord[]> {
      const rows = await db.all<ClientRow>({
        purpose: 'list clients',
        sql: 'SELECT * FROM clients ORDER BY created_at, client_id',
      })
      return rows.map(toRecord)
    },
    /** Inserts a new client; fails on a taken client_id. */
    async insert(record: ClientRecord): Promise<void> {
      await db.run(
        { purpose: 'insert client', sql: 'INSERT INTO clients VALUES (?, ?, ?, ?, ?, ?)' },
        [
          record.clientId,
          metadataText(record),
          record.registrationTokenHash ?? null,
          record.automaticConsent ?? null,
          record.createdAt,
          record.updatedAt,
        ],
      )
    },
    /** Inserts or replaces the metadata of a client, keeping its creation time (pre-registration at start). */
    async upsert(record: ClientRecord): Promise<void> {
      await db.run(
        {
          purpose: 'upsert client',
          sql: `INSERT INTO clients VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET metadata = excluded.metadata,
              registration_token_hash = excluded.registration_token_hash,
              automatic_consent = excluded.automatic_consent, updated_at = excluded.updated_at`,
        },
        [
          record.clientId,
          metadataText(record),
          record.registrationTokenHash ?? null,
          record.automaticConsent ?? null,
          record.createdAt,
          record.updatedAt,
        ],
      )
    },
    /** Replaces the metadata (RFC 7592 section 2.2); true when the client existed. */
    async update(record: ClientRecord): Promise<boolean> {
      const result = await db.run(
        {
          purpose: 'update client',
          sql: `UPDATE clients SET metadata = ?, automatic_consent = ?, updated_at = ?
            WHERE client_id = ?`,
        },
        [metadataText(record), record.automaticConsent ?? null, record.updatedAt, record.clientId],
      )
      return result.changes === 1
    },
    /** Deletes a client with its grants and refresh tokens (RFC 7592 section 2.3); true when it existed. */
    async delete(clientId: string): Promise<boolean> {
      const result = await db.run(
        { purpose: 'delete client', sql: 'DELETE FROM clients WHERE client_id = ?' },
        [clientId],
      )
      return result.changes === 1
    },
  }
}

export type ClientRepository = ReturnType<typeof createClientRepository>
