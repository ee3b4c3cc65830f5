/**
 * The console's last line of redaction (DESIGN principle 6): services redact what they trace, and
 * the console redacts again before anything is stored or shown, so a password, one-time code,
 * token or private key never reaches its database or its pages, whatever a service forgot.
 */
import type { TraceEvent } from '@sandbox/spec-types/trace-event'

export const REDACTED = '[redacted]'

/** Members that hold secrets wherever they appear. */
const SECRET_MEMBERS = new Set([
  'password',
  'code',
  'code_verifier',
  'one_time_code',
  'otp',
  'refresh_token',
  'access_token',
  'id_token',
  'token',
  'client_secret',
  'client_assertion',
  'registration_access_token',
  'csrf',
  '_csrf',
])

/** A JWK's private members (RFC 7517 section 9.3; RFC 7518 section 6). */
const PRIVATE_JWK_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])

function redactValue(value: unknown, depth: number): unknown {
  if (depth > 12) return REDACTED
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1))
  if (typeof value !== 'object' || value === null) return value
  const record = value as Record<string, unknown>
  const isJwk = typeof record.kty === 'string'
  const out: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(record)) {
    const secret =
      (SECRET_MEMBERS.has(name) && member !== REDACTED && typeof member === 'string') ||
      (isJwk && PRIVATE_JWK_MEMBERS.has(name))
    out[name] = secret ? REDACTED : redactValue(member, depth + 1)
  }
  return out
}

/** The event with every secret member of its body, headers and JWTs replaced. */
export function redactEvent(event: TraceEvent): TraceEvent {
  return {
    ...event,
    ...(event.http === undefined
      ? {}
      : {
          http: {
            ...event.http,
            headers: Object.fromEntries(
              Object.entries(event.http.headers).map(([name, value]) => [
                name,
                name === 'authorization' || name === 'dpop' || name === 'cookie'
                  ? `${value.split(' ', 1)[0]} ${REDACTED}`
                  : value,
              ]),
            ),
            ...(event.http.body === undefined ? {} : { body: redactValue(event.http.body, 0) }),
          },
        }),
    jwts: event.jwts.map((jwt) => ({
      ...jwt,
      header: redactValue(jwt.header, 0) as Record<string, unknown>,
      claims: redactValue(jwt.claims, 0) as Record<string, unknown>,
    })),
  }
}
