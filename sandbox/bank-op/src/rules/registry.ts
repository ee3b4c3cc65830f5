/**
 * Every rule bank-op enforces beyond the protocol kit's own (`@sandbox/fapi/errors/rules`), by the
 * name of the registry object that holds it: the spec map and the coverage test read this list.
 */
import type { Rule } from '@sandbox/fapi/errors/oauth-error'
import { authorizeRules } from './authorize.js'
import { introspectionRules } from './introspection.js'
import { parRules } from './par.js'
import { registrationRules } from './registration.js'
import { requestRules } from './request.js'
import { revocationRules } from './revocation.js'
import { tokenRules } from './token.js'
import { userinfoRules } from './userinfo.js'

export const bankOpRuleRegistries: Readonly<Record<string, Readonly<Record<string, Rule>>>> = {
  requestRules,
  parRules,
  authorizeRules,
  tokenRules,
  userinfoRules,
  introspectionRules,
  revocationRules,
  registrationRules,
}
