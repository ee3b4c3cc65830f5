/**
 * The demo fintech's view of the seeded banks: for each, the issuer bank-op serves it under, the
 * client the launcher registered there (demo-fintech.ts) and how that client authenticates and
 * binds its tokens, as the bank's profile requires.
 */
import { describeProfile, type ProviderConfig } from '@sandbox/fintech/config'
import type { ServiceContext } from './services.js'

export function seededProviders(context: ServiceContext): ProviderConfig[] {
  const { demoFintech, fintechCertificate, trustedIssuers } = context
  return context.tenants.map(({ bank }) => {
    const issuer = trustedIssuers.get(bank.id)?.issuer
    if (issuer === undefined) throw new Error(`bank-op serves no issuer for ${bank.id}`)
    const { profile } = bank
    const clientAuth =
      profile.clientAuth === 'private_key_jwt'
        ? {
            method: 'private_key_jwt' as const,
            key: demoFintech.key.privateKey,
            kid: demoFintech.key.kid,
            alg: demoFintech.key.alg,
          }
        : { method: 'tls_client_auth' as const }
    const usesCertificate =
      profile.clientAuth === 'tls_client_auth' || profile.senderConstraint === 'mtls'
    const provider = {
      id: bank.id,
      name: bank.name,
      brand: bank.brand,
      issuer,
      clientId: demoFintech.clientId,
      clientAuth,
      senderConstraint: profile.senderConstraint,
      certificate: usesCertificate
        ? { certPem: fintechCertificate.certPem, keyPem: fintechCertificate.keyPem }
        : undefined,
      responseMode: profile.authorizationResponseMode,
      signedRequestObject: profile.requireSignedRequestObject,
      apiBaseUrl: `${context.url('bank-api')}/${bank.id}`,
      currency: bank.currency,
    }
    return { ...provider, profileSummary: describeProfile(provider) }
  })
}
