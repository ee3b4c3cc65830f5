/**
 * The pages problem `type` URIs point at (RFC 9457 section 3.1.1: a type URI should resolve to
 * documentation): `/problems/rs-api-03` describes the rules of that row and cites their clauses.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { cite } from '@sandbox/fapi/errors/describe'
import { allRules } from '@sandbox/fapi/errors/rules'
import { PROBLEM_JSON_MEDIA_TYPE, ProblemDetailsSchema } from '@sandbox/spec-types/problem'
import Type from 'typebox'
import { apiRules } from '../rules.js'

const ProblemTypeSchema = Type.Object(
  {
    rule: Type.String(),
    rules: Type.Array(
      Type.Object({
        status: Type.Integer(),
        title: Type.String(),
        summary: Type.String(),
        clause: Type.String(),
      }),
    ),
  },
  { additionalProperties: false },
)

/** Every rule a bank API answer can name, the API's own and the kit's token and proof rules. */
const RULES = [
  ...Object.values(apiRules),
  ...allRules.map((rule) => ({ ...rule, title: rule.error })),
]

export const problemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/problems/:ruleId',
    {
      schema: {
        summary: 'Describe a problem type',
        hide: true,
        params: Type.Object({ ruleId: Type.String({ pattern: '^[a-z]+(?:-[a-z]+)*-[0-9]{2,}$' }) }),
        response: { 200: ProblemTypeSchema, 404: ProblemDetailsSchema },
      },
    },
    async (request, reply) => {
      const id = request.params.ruleId.toUpperCase()
      const matching = RULES.filter((rule) => rule.id === id)
      if (matching.length === 0) {
        return reply
          .code(404)
          .type(PROBLEM_JSON_MEDIA_TYPE)
          .send({
            type: 'about:blank',
            title: 'Not Found',
            status: 404,
            detail: `no rule ${id} is answered by the bank APIs`,
          })
      }
      return {
        rule: id,
        rules: matching.map((rule) => ({
          status: rule.status,
          title: rule.title,
          summary: rule.summary,
          clause: cite(rule.clause),
        })),
      }
    },
  )
}
