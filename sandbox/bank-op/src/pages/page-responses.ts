/** The responses every route of the bank's pages declares: HTML pages, and 303 See Other. */
import Type from 'typebox'

const htmlPage = { content: { 'text/html': { schema: Type.String() } } } as const

export const PAGE_RESPONSES = {
  200: htmlPage,
  303: Type.Null({ description: 'to the next page, or to the client redirect_uri' }),
  '4xx': htmlPage,
  '5xx': htmlPage,
} as const
