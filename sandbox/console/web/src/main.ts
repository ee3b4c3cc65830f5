/** The console's pages: a hash router, and the live stream of trace events shared by the views. */
import { showEcosystem } from './ecosystem.js'
import { type Inspector, showInspector, type TraceEvent } from './inspector.js'

const main = document.getElementById('main') as HTMLElement
const live = document.getElementById('live') as HTMLElement
let inspector: Inspector | undefined

async function route(): Promise<void> {
  inspector?.dispose()
  inspector = undefined
  const [, page = 'flows', id] = (location.hash || '#/flows').slice(1).split('/')
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.getAttribute('data-nav') === page) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  try {
    if (page === 'ecosystem') await showEcosystem(main)
    else
      inspector = await showInspector(main, id === undefined ? undefined : decodeURIComponent(id))
  } catch (error) {
    main.replaceChildren(
      document.createTextNode(`The console could not load this page: ${String(error)}`),
    )
  }
}

// The stream resumes by itself after an interruption (EventSource sends Last-Event-ID).
const stream = new EventSource('/api/live')
stream.addEventListener('open', () => {
  live.textContent = 'live'
  live.className = 'live on'
})
stream.addEventListener('error', () => {
  live.textContent = 'reconnecting…'
  live.className = 'live'
})
stream.addEventListener('trace', (message) => {
  inspector?.onEvent(JSON.parse((message as MessageEvent<string>).data) as TraceEvent)
})

window.addEventListener('hashchange', () => void route())
void route()
