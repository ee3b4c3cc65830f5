/**
 * The fintech's own trace events (DESIGN principle 6): the browser's requests to it that start and
 * finish a flow, with the checks it applied. The banks trace the fintech's requests to them; the
 * interaction id puts both sides in one flow. Nothing secret is written: no code, state or token.
 */
import type { TraceCheck, TraceEvent } from '@sandbox/spec-types/trace-event'
import type { FintechContext } from './context.js'

export interface FintechStep {
  flowId: string | undefined
  bankId?: string | undefined
  /** `connect`, `pay`, `callback`. */
  step: string
  method: 'GET' | 'POST'
  /** The path the browser requested, without its query (the callback's carries the code). */
  path: string
  status: number
  checks?: readonly TraceCheck[]
}

export function emitStep(context: FintechContext, step: FintechStep): void {
  const flowId = step.flowId ?? context.randomId()
  const at = new Date(context.seconds() * 1000).toISOString().replace('.000Z', 'Z')
  context.trace.emit(
    (): TraceEvent => ({
      id: context.randomId(),
      flowId,
      seq: 0,
      at,
      service: 'fintech',
      ...(step.bankId === undefined ? {} : { bankId: step.bankId }),
      step: step.step,
      from: 'browser',
      to: 'fintech',
      http: {
        method: step.method,
        url: `${context.origin}${step.path}`,
        status: step.status,
        headers: {},
      },
      jwts: [],
      checks: [...(step.checks ?? [])],
      ...(step.flowId === undefined ? {} : { interactionId: step.flowId }),
    }),
  )
}
