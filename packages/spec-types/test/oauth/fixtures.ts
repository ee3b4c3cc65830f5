/** Valid OAuth examples shared by the oauth tests. */
export const assertion = 'eyJhbGciOiJQUzI1NiJ9.eyJpc3MiOiJjMSJ9.c2lnbmF0dXJl'

export const parRequest = {
  client_id: 'c1',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: assertion,
  response_type: 'code',
  redirect_uri: 'https://fintech.sandbox.test/callback',
  scope: 'openid accounts',
  state: 'S',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
  authorization_details: '[{"type":"account_information","actions":["list_accounts"]}]',
  nonce: 'N',
}
