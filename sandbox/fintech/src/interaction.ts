/**
 * One interaction id per browser action: every request the back end sends to a bank while
 * answering one request of the browser carries the same `x-fapi-interaction-id` (a UUID, FAPI 1.0
 * Part 1 6.2.1-11), so the banks' trace events of that action form one flow in the console.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'

const storage = new AsyncLocalStorage<string>()

/** The interaction id of the browser request being answered, if any. */
export function currentInteractionId(): string | undefined {
  return storage.getStore()
}

/** Gives every request of `app` a fresh interaction id for the bank calls made while answering it. */
export function assignInteractionIds(app: FastifyInstance): void {
  // The callback form runs the rest of the request's lifecycle inside the store.
  app.addHook('onRequest', (_request, _reply, done) => {
    storage.run(randomUUID(), done)
  })
}
