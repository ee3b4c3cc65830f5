import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KeyFileError } from '@sandbox/bank-op/keys/key-file'
import { readCertificateIdentity } from '@sandbox/pki/certificate-identity'
import { openBankDatabase } from '@sandbox/store/bank-database'
import type { ClientRecord } from '@sandbox/store/repositories/clients'
import { describe, expect, test } from 'vitest'
import { keysDir } from '../src/data.js'
import { DEMO_FINTECH_CLIENT_ID, openDemoFintechKey } from '../src/demo-fintech.js'
import { type LaunchOptions, launchSandbox, type RunningSandbox } from '../src/launch.js'
import { FINTECH, portsFor } from '../src/services.js'
import { tempDir } from './helpers.js'

function optionsFor(dataDir: string): LaunchOptions {
  return {
    dataDir,
    host: '127.0.0.1',
    ports: portsFor(0),
    seed: 42,
    customersPerBank: 5,
    reset: false,
  }
}

/** The demo fintech's registration at each bank, read from the bank's own database. */
async function registrations(sandbox: RunningSandbox): Promise<Map<string, ClientRecord>> {
  const found = new Map<string, ClientRecord>()
  for (const { bank, file } of sandbox.banks) {
    const database = await openBankDatabase(file)
    try {
      const record = await database.clients.get(DEMO_FINTECH_CLIENT_ID)
      if (record === undefined) throw new Error(`${bank.id} has no demo fintech`)
      found.set(bank.id, record)
    } finally {
      await database.close()
    }
  }
  return found
}

describe('the demo fintech is pre-registered at every bank', () => {
  test('with the key from the data folder or the certificate subject, whichever the bank uses', async () => {
    const dataDir = tempDir()
    const sandbox = await launchSandbox(optionsFor(dataDir))
    try {
      const { demoFintech, pki } = sandbox
      const port = new URL(demoFintech.redirectUris[0] ?? '').port
      const callback = (host: string) => `https://${host}:${port}/callback`
      expect(demoFintech.redirectUris).toEqual([callback('127.0.0.1'), callback('localhost')])
      const subjectDn = readCertificateIdentity(pki.clients.fintech.certPem).subjectDn
      expect(subjectDn).toBe('CN=demo-fintech,O=Demo Fintech Ltd,C=GB')

      for (const [bankId, record] of await registrations(sandbox)) {
        const bank = sandbox.banks.find((open) => open.bank.id === bankId)?.bank
        const { metadata } = record
        expect(record.automaticConsent).toBeUndefined()
        expect(metadata).toMatchObject({
          client_id: 'demo-fintech',
          client_name: 'Demo Fintech',
          redirect_uris: demoFintech.redirectUris,
          token_endpoint_auth_method: bank?.profile.clientAuth,
          grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
          authorization_details_types: ['account_information', 'payment_initiation'],
        })
        if (bank?.profile.clientAuth === 'private_key_jwt') {
          expect(metadata.jwks).toEqual({ keys: [demoFintech.key.publicJwk] })
          expect(metadata.jwks?.keys[0]).not.toHaveProperty('d')
          expect(metadata.tls_client_auth_subject_dn).toBeUndefined()
        } else {
          expect(metadata.tls_client_auth_subject_dn).toBe(subjectDn)
          expect(metadata.jwks).toBeUndefined()
        }
      }
      // The private half stays in the data folder, readable by the owner only.
      expect(demoFintech.key.file).toBe(join(keysDir(dataDir), 'demo-fintech.json'))
      expect(statSync(demoFintech.key.file).mode & 0o777).toBe(0o600)
    } finally {
      await sandbox.close()
    }
  })

  test('a restart keeps the key and the creation time, follows the ports and clears automatic consent', async () => {
    const dataDir = tempDir()
    const first = await launchSandbox(optionsFor(dataDir))
    await first.close()
    const before = await registrations(first)
    const keyFile = readFileSync(first.demoFintech.key.file, 'utf8')
    // Something set the sandbox consent shortcut on the demo client between the two starts.
    for (const { file } of first.banks) {
      const database = await openBankDatabase(file)
      const record = await database.clients.get(DEMO_FINTECH_CLIENT_ID)
      if (record) await database.clients.update({ ...record, automaticConsent: 'approve' })
      await database.close()
    }

    // Nothing listens on the fintech's port yet, so any other number shows the URIs follow it.
    const firstPort = Number(new URL(first.demoFintech.redirectUris[0] ?? '').port)
    const fintechPort = firstPort === 40_000 ? 40_001 : 40_000
    const second = await launchSandbox({
      ...optionsFor(dataDir),
      ports: { ...portsFor(0), [FINTECH]: fintechPort },
    })
    try {
      expect(second.demoFintech.key.kid).toBe(first.demoFintech.key.kid)
      expect(readFileSync(second.demoFintech.key.file, 'utf8')).toBe(keyFile)
      const after = await registrations(second)
      for (const [bankId, record] of after) {
        expect(record.createdAt).toBe(before.get(bankId)?.createdAt)
        expect(record.automaticConsent).toBeUndefined()
        expect(record.metadata.redirect_uris).toEqual(second.demoFintech.redirectUris)
      }
      expect(second.demoFintech.redirectUris).toEqual([
        `https://127.0.0.1:${fintechPort}/callback`,
        `https://localhost:${fintechPort}/callback`,
      ])
    } finally {
      await second.close()
    }
  })

  test('a damaged key file stops the start, naming the file', async () => {
    const dir = join(tempDir(), 'keys')
    const key = await openDemoFintechKey(dir)
    writeFileSync(key.file, '{"version":1,"bank":"aurora","keys":[]}')
    await expect(openDemoFintechKey(dir)).rejects.toThrow(
      new KeyFileError(key.file, 'keys of aurora, not of demo-fintech'),
    )
  })
})
