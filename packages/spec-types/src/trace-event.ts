/**
 * A trace event: one protocol step as a service saw it, with the HTTP exchange, the JWTs it decoded
 * and every rule it checked (DESIGN.md principle 6). Secrets are redacted before an event is built.
 */
import Type, { type Static } from 'typebox'
import { DateTime, embed, StringEnum } from './json-schema.js'

/** Who sends and receives in a flow; the arrows of the sequence diagrams in `docs/flows`. */
export const TRACE_ACTORS = ['browser', 'fintech', 'bank-op', 'bank-api', 'console'] as const
export type TraceActor = (typeof TRACE_ACTORS)[number]

/** Services that emit events (every actor except the browser). */
export const TRACE_SERVICES = ['fintech', 'bank-op', 'bank-api', 'console'] as const
export type TraceService = (typeof TRACE_SERVICES)[number]

export const SIGNATURE_STATUSES = ['verified', 'failed', 'not-checked'] as const
export type SignatureStatus = (typeof SIGNATURE_STATUSES)[number]

export const TraceHttpSchema = Type.Object(
  {
    method: Type.String({ pattern: '^[A-Z]+$' }),
    url: Type.String({ format: 'uri' }),
    /** Absent on a request event; present once the response is known. */
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    headers: Type.Record(Type.String(), Type.String()),
    /** Parsed body with secrets replaced by a redaction marker. */
    body: Type.Optional(Type.Unknown()),
  },
  { $id: 'TraceHttp', additionalProperties: false },
)
export type TraceHttp = Static<typeof TraceHttpSchema>

export const TraceJwtSchema = Type.Object(
  {
    /** Where it was found: `client_assertion`, `DPoP header`, `request`, `id_token`, `response`. */
    where: Type.String({ minLength: 1 }),
    header: Type.Record(Type.String(), Type.Unknown()),
    claims: Type.Record(Type.String(), Type.Unknown()),
    signature: StringEnum(SIGNATURE_STATUSES),
    keyId: Type.Optional(Type.String()),
  },
  { $id: 'TraceJwt', additionalProperties: false },
)
export type TraceJwt = Static<typeof TraceJwtSchema>

/** A clause as the rules registry writes it: `{ spec: 'FAPI 2.0 SP', section: '5.3.2.2', item: 5 }`. */
export const TraceClauseSchema = Type.Object(
  {
    spec: Type.String({ minLength: 1 }),
    section: Type.String({ minLength: 1 }),
    item: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { $id: 'TraceClause', additionalProperties: false },
)
export type TraceClause = Static<typeof TraceClauseSchema>

export const TraceCheckSchema = Type.Object(
  {
    /** A row id of `fapi2-requirements.md`, e.g. `AS-PAR-07`. */
    ruleId: Type.String({ pattern: '^[A-Z]+(?:-[A-Z]+)*-[0-9]{2,}$' }),
    clause: embed(TraceClauseSchema),
    passed: Type.Boolean(),
    summary: Type.String({ minLength: 1 }),
    detail: Type.Optional(Type.String()),
  },
  { $id: 'TraceCheck', additionalProperties: false },
)
export type TraceCheck = Static<typeof TraceCheckSchema>

export const TraceEventSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    /** Groups the events of one end-to-end flow (connect bank, payment, revoke). */
    flowId: Type.String({ minLength: 1, maxLength: 64 }),
    /** Order within the flow, from 0. */
    seq: Type.Integer({ minimum: 0 }),
    at: DateTime(),
    service: StringEnum(TRACE_SERVICES),
    /** The bank tenant the event belongs to, when it belongs to one. */
    bankId: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' })),
    /** Step name as in the flow diagrams: `par`, `authorize`, `token`, `accounts`. */
    step: Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
    from: StringEnum(TRACE_ACTORS),
    to: StringEnum(TRACE_ACTORS),
    http: Type.Optional(embed(TraceHttpSchema)),
    jwts: Type.Array(embed(TraceJwtSchema)),
    checks: Type.Array(embed(TraceCheckSchema)),
    /** The `x-fapi-interaction-id` of the exchange, when one was sent (FAPI 1.0 Part 1 6.2.1-11). */
    interactionId: Type.Optional(Type.String({ minLength: 1 })),
  },
  { $id: 'TraceEvent', additionalProperties: false },
)
export type TraceEvent = Static<typeof TraceEventSchema>
