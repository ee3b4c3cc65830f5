/**
 * The flow inspector's data: the flows the console stored, one flow's messages, its export as
 * Markdown (with a Mermaid sequence diagram) or JSON, and the live stream of new messages as
 * server-sent events, resumable with `Last-Event-ID` (a client that lost the stream catches up).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { embed } from '@sandbox/spec-types/json-schema'
import { TraceEventSchema } from '@sandbox/spec-types/trace-event'
import Type from 'typebox'
import { flowMarkdown, flowTitle } from '../flow-export.js'
import type { StoredEvent, TraceStore } from '../trace-store.js'

const FlowParams = Type.Object({ flowId: Type.String({ minLength: 1, maxLength: 64 }) })

const FlowSummarySchema = Type.Object({
  flowId: Type.String(),
  title: Type.String(),
  bankId: Type.Optional(Type.String()),
  firstAt: Type.String(),
  lastAt: Type.String(),
  events: Type.Integer(),
  failedChecks: Type.Integer(),
  steps: Type.Array(Type.String()),
})

const StoredEventSchema = Type.Object({
  position: Type.Integer(),
  event: embed(TraceEventSchema),
})

const NotFound = Type.Object({
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
})

/** A title from the steps alone, for the list (the full title needs the messages). */
function titleOfSteps(steps: readonly string[], bankId: string | undefined): string {
  const events = steps.map((step) => {
    const [service = '', name = ''] = step.split(' ')
    return { service, step: name, bankId } as Parameters<typeof flowTitle>[0][number]
  })
  return flowTitle(events)
}

/** Sandbox policy: a comment line every 15 s keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000

export function flowRoutes(store: TraceStore): FastifyPluginAsyncTypebox {
  return async (app) => {
    const notFound = (flowId: string) => ({
      title: 'No such flow',
      status: 404,
      detail: `no flow ${flowId} is stored (the console keeps the newest flows only)`,
    })

    app.get(
      '/api/flows',
      {
        schema: {
          querystring: Type.Object({
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
          }),
          response: { 200: Type.Object({ flows: Type.Array(FlowSummarySchema) }) },
        },
      },
      async (request) => {
        const flows = await store.flows(Number(request.query.limit ?? 100) || 100)
        return {
          flows: flows.map((flow) => ({ ...flow, title: titleOfSteps(flow.steps, flow.bankId) })),
        }
      },
    )

    app.get(
      '/api/flows/:flowId',
      {
        schema: {
          params: FlowParams,
          response: {
            200: Type.Object({
              flowId: Type.String(),
              title: Type.String(),
              events: Type.Array(StoredEventSchema),
            }),
            404: NotFound,
          },
        },
      },
      async (request, reply) => {
        const events = await store.flow(request.params.flowId)
        if (events === undefined) return reply.code(404).send(notFound(request.params.flowId))
        return {
          flowId: request.params.flowId,
          title: flowTitle(events.map((stored) => stored.event)),
          events,
        }
      },
    )

    app.get(
      '/api/flows/:flowId/export.md',
      { schema: { params: FlowParams } },
      async (request, reply) => {
        const events = await store.flow(request.params.flowId)
        if (events === undefined) return reply.code(404).send(notFound(request.params.flowId))
        return reply
          .type('text/markdown; charset=utf-8')
          .header('content-disposition', `attachment; filename="flow-${request.params.flowId}.md"`)
          .send(
            flowMarkdown(
              request.params.flowId,
              events.map((stored) => stored.event),
            ),
          )
      },
    )

    app.get(
      '/api/flows/:flowId/export.json',
      { schema: { params: FlowParams } },
      async (request, reply) => {
        const events = await store.flow(request.params.flowId)
        if (events === undefined) return reply.code(404).send(notFound(request.params.flowId))
        return reply
          .header(
            'content-disposition',
            `attachment; filename="flow-${request.params.flowId}.json"`,
          )
          .send({ flowId: request.params.flowId, events: events.map((stored) => stored.event) })
      },
    )

    app.get(
      '/api/live',
      {
        schema: {
          querystring: Type.Object({
            after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
          }),
        },
      },
      async (request, reply) => {
        const header = request.headers['last-event-id']
        const resumeFrom = Number(
          (typeof header === 'string' && /^[0-9]{1,15}$/.test(header) ? header : undefined) ??
            request.query.after ??
            -1,
        )
        reply.hijack()
        const res = reply.raw
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        })
        let last = resumeFrom
        const send = (stored: StoredEvent) => {
          if (stored.position <= last) return
          last = stored.position
          res.write(
            `id: ${stored.position}\nevent: trace\ndata: ${JSON.stringify(stored.event)}\n\n`,
          )
        }
        // Live first, so nothing stored while catching up is missed; `last` drops duplicates.
        const buffered: StoredEvent[] = []
        let caughtUp = false
        const unsubscribe = store.onStored((events) => {
          if (caughtUp) for (const stored of events) send(stored)
          else buffered.push(...events)
        })
        if (resumeFrom >= 0) for (const stored of await store.since(resumeFrom)) send(stored)
        else res.write(': live\n\n')
        caughtUp = true
        for (const stored of buffered) send(stored)
        const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS)
        request.raw.on('close', () => {
          clearInterval(heartbeat)
          unsubscribe()
        })
      },
    )
  }
}
