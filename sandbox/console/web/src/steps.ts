/** What each step of a flow is, in plain words, for a workshop replaying it. */
const STEPS: Readonly<Record<string, string>> = {
  connect:
    'The user asks the fintech to connect a bank. The fintech prepares the request on its server: the browser never sees its keys.',
  pay: 'The user asks the fintech to make a payment. The fintech asks the bank to authorize exactly this payment.',
  par: 'Pushed authorization request (RFC 9126): the fintech sends the whole authorization request to the bank directly, authenticated, and gets a short-lived request_uri back. Only that reference travels through the browser.',
  authorize:
    'The browser arrives at the bank with client_id and request_uri only. The bank looks up the pushed request and starts the sign-in.',
  interaction: 'The bank shows the next page of its sign-in: password, one-time code or consent.',
  password:
    'The user signs in at the bank with username and password. The fintech never sees them.',
  code: 'The user confirms a one-time code: the second factor of the bank login.',
  consent:
    'The user chooses what to share (which accounts, for how long) or approves the payment, at the bank itself.',
  callback:
    'The bank sends the browser back to the fintech with a one-time code. The fintech checks state (it started this flow in this browser) and iss (the answer comes from the bank it asked: the mix-up defence, RFC 9207).',
  token:
    'The fintech exchanges the code for tokens, proving with PKCE that it started the flow and binding the tokens to its DPoP key or TLS certificate, so a stolen token is useless.',
  accounts:
    'The fintech reads the accounts the user consented to, with the token and a fresh proof of its key.',
  balances: 'The fintech reads balances of a consented account.',
  transactions: 'The fintech reads a page of transactions of a consented account.',
  payees: 'The fintech reads the payees saved on a consented account.',
  payments:
    'The fintech creates the consented payment once (Idempotency-Key), or reads its status.',
  userinfo: "The fintech reads the user's identity claims with its access token (OpenID Connect).",
  revoke:
    'The fintech revokes a token: the bank ends the grant and every token of it at once (RFC 7009).',
  introspect: 'A party asks the bank whether a token is active and what it allows (RFC 7662).',
  register: 'A client registers itself at the bank (RFC 7591), with its keys or certificate.',
  jwks: "Someone reads the bank's public keys, to verify the bank's signatures.",
  'openid-configuration': "Someone reads the bank's metadata: its endpoints and what it supports.",
  'oauth-authorization-server': "Someone reads the bank's metadata (RFC 8414).",
}

export function explainStep(step: string): string | undefined {
  return STEPS[step]
}
