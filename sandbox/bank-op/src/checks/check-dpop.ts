/**
 * DPoP at the bank's back-channel endpoints (RFC 9449 section 5; FAPI 2.0 SP 5.3.2.1-4): a DPoP
 * bank binds what it issues to the proof key, so its token endpoint needs a proof on every request
 * and its PAR endpoint takes one to bind the code early (section 10).
 */
import { type VerifiedDpopProof, verifyDpopProof } from '@sandbox/fapi/dpop/proof'
import { OAuthError } from '@sandbox/fapi/errors/oauth-error'
import { rules } from '@sandbox/fapi/errors/rules'
import { dpopHeaders } from '@sandbox/service-kit/resource-request'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { endpointUrl } from '../bank-context.js'
import { requestRules } from '../rules/request.js'

/**
 * Verifies the request's DPoP proof for the endpoint at `path` when the bank uses DPoP.
 * Returns undefined at an mTLS bank, and at a DPoP bank when the proof is optional and absent.
 * @throws OAuthError AS-TOK-02 (required and absent), AS-SC-01..12 (the proof itself)
 * @see https://www.rfc-editor.org/rfc/rfc9449.html#section-5
 */
export async function checkDpopProof(
  request: FastifyRequest,
  path: string,
  options: { required: boolean },
): Promise<VerifiedDpopProof | undefined> {
  const { bank } = request
  if (bank.bank.profile.senderConstraint !== 'dpop') return undefined
  const headers = dpopHeaders(request)
  if (headers.length === 0) {
    if (!options.required) return undefined
    throw new OAuthError(requestRules.dpopProofRequired, 'no DPoP header was sent')
  }
  const nonces = bank.dpopNonces
  const proof = await verifyDpopProof(headers, {
    htm: request.method,
    htu: endpointUrl(bank, path, request.listener === 'mtls'),
    now: bank.now(),
    seenJti: bank.seenJti,
    ...(nonces === undefined
      ? {}
      : {
          nonce: {
            check: (value, now) => nonces.checkDpopNonce(value, now),
            issue: (now) => nonces.issueDpopNonce(now),
          },
        }),
  })
  request.trace.verified('DPoP header')
  for (const rule of [
    rules.dpopTyp,
    rules.dpopAlg,
    rules.dpopSignature,
    rules.dpopPublicJwk,
    rules.dpopHtm,
    rules.dpopHtu,
    rules.dpopIat,
    ...(nonces === undefined ? [] : [rules.dpopNonce]),
    rules.dpopReplay,
  ]) {
    request.trace.pass(rule)
  }
  return proof
}

/** RFC 9449 section 8.2: a bank that uses nonces hands out the current one on every answer. */
export async function offerDpopNonce(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const nonces = request.bank.dpopNonces
  if (nonces !== undefined)
    reply.header('dpop-nonce', await nonces.issueDpopNonce(request.bank.now()))
}
