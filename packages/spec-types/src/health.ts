/** The health document every sandbox service answers at `GET /health`. */
import Type, { type Static } from 'typebox'
import { embed } from './json-schema.js'

export const HealthStatus = { ok: 'ok', degraded: 'degraded' } as const
export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus]

export const HealthCheckSchema = Type.Object(
  {
    name: Type.String({ description: 'what was checked, e.g. a bank database' }),
    ok: Type.Boolean(),
    detail: Type.Optional(Type.String()),
  },
  { $id: 'HealthCheck', additionalProperties: false },
)
export type HealthCheck = Static<typeof HealthCheckSchema>

export const HealthSchema = Type.Object(
  {
    service: Type.String(),
    status: Type.Union([Type.Literal(HealthStatus.ok), Type.Literal(HealthStatus.degraded)]),
    checks: Type.Array(embed(HealthCheckSchema)),
  },
  { $id: 'Health', additionalProperties: false },
)
export type Health = Static<typeof HealthSchema>
