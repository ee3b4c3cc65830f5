/** The table `npm start` prints once everything answers: URLs, banks, test users, the CA. */
import { issuerFor } from '@sandbox/bank-op/bank-directory'
import type { RunningSandbox } from './launch.js'

function table(rows: readonly (readonly string[])[]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? []
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  )
}

function profileOf(bank: RunningSandbox['banks'][number]['bank']): string {
  const { profile } = bank
  const parts = [profile.senderConstraint === 'dpop' ? 'DPoP' : 'mTLS', profile.clientAuth]
  if (profile.dpopNonceRequired) parts.push('DPoP nonces')
  if (profile.requireSignedRequestObject) parts.push('signed requests (JAR)')
  if (profile.authorizationResponseMode === 'jwt') parts.push('JARM')
  parts.push(`access tokens ${profile.accessTokenLifetimeSeconds} s`)
  return parts.join(', ')
}

/** Renders the start-up summary as plain text (no colour codes, so it reads the same in logs). */
export function renderSummary(sandbox: RunningSandbox): string {
  const lines: string[] = ['', 'Open banking sandbox is running', '']
  lines.push(
    ...table([
      ['service', 'url', 'health', 'what'],
      ...sandbox.services.map((service) => [
        service.name,
        service.url,
        `${service.url}/health`,
        service.title,
      ]),
    ]),
  )
  const fintech = sandbox.services.find((service) => service.name === 'fintech')
  if (fintech) lines.push('', `Open the demo fintech: ${fintech.url}/ (connect a bank, then pay)`)
  const inspector = sandbox.services.find((service) => service.name === 'console')
  if (inspector) lines.push(`Watch every protocol step: ${inspector.url}/ (the sandbox console)`)
  const bankOp = sandbox.services.find((service) => service.name === 'bank-op')
  lines.push('', 'Banks')
  lines.push(
    ...table([
      ['id', 'name', 'currency', 'profile', 'customers'],
      ...sandbox.banks.map(({ bank, counts }) => [
        bank.id,
        bank.name,
        bank.currency,
        profileOf(bank),
        String(counts.customers),
      ]),
    ]),
  )
  if (bankOp) {
    // Each bank is its own issuer (RFC 8414 section 2); clients discover it from this URL.
    lines.push('', 'Issuers (discovery: <issuer>/.well-known/openid-configuration)')
    lines.push(
      ...table([
        ['bank', 'issuer'],
        ...sandbox.banks.map(({ bank }) => [bank.id, issuerFor(bankOp.url, bank.id)]),
      ]),
    )
  }
  const { demoFintech } = sandbox
  lines.push('', 'Demo fintech client (pre-registered at every bank)')
  lines.push(
    ...table([
      ['client_id', demoFintech.clientId],
      ['redirect URIs', demoFintech.redirectUris.join(' ')],
      ['private_key_jwt key', demoFintech.key.file],
      [
        'tls_client_auth certificate',
        `${sandbox.pki.clients.fintech.certPath} (${demoFintech.certificateSubjectDn})`,
      ],
    ]).map((line) => `  ${line}`),
  )
  lines.push('', 'Test users (published sandbox credentials)')
  lines.push(
    ...table([
      ['bank', 'username', 'password', 'one-time code', 'customer'],
      ...sandbox.banks.flatMap(({ bank, testUsers }) =>
        testUsers.map((user) => [
          bank.id,
          user.username,
          user.password,
          user.oneTimeCode,
          user.customerName,
        ]),
      ),
    ]),
  )
  const seededWith = sandbox.banks[0]
  if (seededWith) {
    lines.push(
      '',
      `Data: seed ${seededWith.seed}, 12 months up to ${seededWith.asOf}${sandbox.seeded ? ' (seeded now)' : ''}`,
    )
  }
  lines.push(
    '',
    `Sandbox CA: ${sandbox.pki.ca.certPath}`,
    `  Node clients: NODE_EXTRA_CA_CERTS=${sandbox.pki.ca.certPath}`,
    '  Browsers: import it as a trusted authority (see README, "Trusting the sandbox CA")',
    '',
    'Press Ctrl-C to stop.',
  )
  return lines.join('\n')
}
