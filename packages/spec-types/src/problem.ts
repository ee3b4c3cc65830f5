/**
 * Problem details for HTTP APIs (RFC 9457 section 3), the `application/problem+json` body of the
 * resource APIs' business errors. Open: extension members are allowed (section 3.2).
 * @see https://www.rfc-editor.org/rfc/rfc9457.html#section-3
 */
import Type, { type Static } from 'typebox'

export const PROBLEM_JSON_MEDIA_TYPE = 'application/problem+json'

export const ProblemDetailsSchema = Type.Object(
  {
    /** Section 3.1.1: a URI reference; absent means `about:blank`. */
    type: Type.Optional(Type.String({ format: 'uri-reference' })),
    title: Type.Optional(Type.String()),
    /** Section 3.1.2: the HTTP status code, advisory. */
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String({ format: 'uri-reference' })),
  },
  { $id: 'ProblemDetails' },
)
export type ProblemDetails = Static<typeof ProblemDetailsSchema>
