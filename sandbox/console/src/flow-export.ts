/**
 * A flow for slides and documents: Markdown with a Mermaid sequence diagram (the arrows carry the
 * step names of the trace events, like docs/flows), then each message with its checks.
 */
import { cite } from '@sandbox/fapi/errors/describe'
import type { Clause } from '@sandbox/fapi/errors/oauth-error'
import type { TraceActor, TraceEvent } from '@sandbox/spec-types/trace-event'

/** The lifelines, left to right, as the inspector draws them. */
export const LIFELINES: readonly { actor: TraceActor; id: string; title: string }[] = [
  { actor: 'browser', id: 'B', title: 'Browser' },
  { actor: 'fintech', id: 'F', title: 'Fintech' },
  { actor: 'bank-op', id: 'AS', title: 'Bank authorization server' },
  { actor: 'bank-api', id: 'API', title: 'Bank API' },
  { actor: 'console', id: 'C', title: 'Console' },
]

const idOf = (actor: TraceActor) => LIFELINES.find((line) => line.actor === actor)?.id ?? actor

/** Mermaid text must not break its own syntax. */
const mermaidText = (text: string) => text.replace(/[;#\n]/g, ' ')

function pathOf(event: TraceEvent): string {
  if (event.http === undefined) return ''
  const url = new URL(event.http.url)
  return url.pathname
}

/** What a flow is, in a few words, from its first recognisable step. */
export function flowTitle(events: readonly TraceEvent[]): string {
  const bank = events.find((e) => e.bankId !== undefined)?.bankId
  const at = bank === undefined ? '' : ` at ${bank}`
  const steps = new Set(events.map((e) => e.step))
  const par = events.find((e) => e.step === 'par')
  const details = JSON.stringify(par?.http?.body ?? '')
  if (steps.has('pay') || details.includes('payment_initiation'))
    return `Payment authorization${at}`
  if (steps.has('connect') || steps.has('par')) return `Connecting a bank${at}`
  if (steps.has('callback')) return `Authorization response${at}`
  if (steps.has('register')) return `Client registration${at}`
  if (steps.has('revoke')) return `Revocation${at}`
  if (steps.has('token')) return `Token request${at}`
  const api = events.find((e) => e.service === 'bank-api')
  if (api !== undefined)
    return `API calls${at}: ${[...new Set(events.map((e) => e.step))].join(', ')}`
  return `${events[0]?.step ?? 'Flow'}${at}`
}

export function flowMarkdown(flowId: string, events: readonly TraceEvent[]): string {
  const used = new Set(events.flatMap((e) => [e.from, e.to]))
  const lines = [
    `# ${flowTitle(events)}`,
    '',
    `Flow \`${flowId}\`, ${events.length} messages, recorded by the sandbox console.`,
    '',
    '```mermaid',
    'sequenceDiagram',
    ...LIFELINES.filter((line) => used.has(line.actor)).map(
      (line) => `  participant ${line.id} as ${line.title}`,
    ),
  ]
  for (const event of events) {
    const from = idOf(event.from)
    const to = idOf(event.to)
    const request = event.http === undefined ? '' : ` ${event.http.method} ${pathOf(event)}`
    lines.push(`  ${from}->>${to}: ${mermaidText(`${event.step}${request}`)}`)
    const failed = event.checks.filter((check) => !check.passed)
    for (const check of failed) {
      lines.push(`  Note over ${to}: ${mermaidText(`${check.ruleId} failed: ${check.summary}`)}`)
    }
    if (event.http?.status !== undefined) lines.push(`  ${to}-->>${from}: ${event.http.status}`)
  }
  lines.push('```', '')
  for (const [index, event] of events.entries()) {
    lines.push(`## ${index + 1}. ${event.step} (${event.from} to ${event.to})`, '')
    if (event.http !== undefined) {
      lines.push(
        `\`${event.http.method} ${event.http.url}\` answered ${event.http.status ?? '-'}`,
        '',
      )
    }
    if (event.http?.body !== undefined) {
      lines.push(
        'Body as the receiver read it, secrets redacted:',
        '',
        '```json',
        JSON.stringify(event.http.body, null, 2),
        '```',
        '',
      )
    }
    for (const jwt of event.jwts) {
      const claims = Object.keys(jwt.claims).map((name) => `\`${name}\``)
      lines.push(
        `- JWT in ${jwt.where} (signature ${jwt.signature}): header \`${JSON.stringify(jwt.header)}\`, claims ${claims.join(', ')}`,
      )
    }
    for (const check of event.checks) {
      // Cited as error descriptions cite it: one rendering for the whole sandbox.
      const clause = cite(check.clause as Clause)
      lines.push(
        `- ${check.passed ? 'passed' : '**failed**'} ${check.ruleId} (${clause}): ${check.summary}${check.detail === undefined ? '' : `, ${check.detail}`}`,
      )
    }
    lines.push('')
  }
  return lines.join('\n')
}
