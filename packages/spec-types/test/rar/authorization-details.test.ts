import type { Static } from 'typebox'
import { describe, expect, expectTypeOf, test } from 'vitest'
import type { AccountInformation } from '../../src/rar/account-information.js'
import {
  type AuthorizationDetail,
  AuthorizationDetailSchema,
  AuthorizationDetailsOpenSchema,
  AuthorizationDetailsSchema,
} from '../../src/rar/authorization-details.js'
import type { PaymentInitiation } from '../../src/rar/payment-initiation.js'
import { createAjv, expectInvalid, expectValid, FASTIFY_AJV_OPTIONS } from '../support/validate.js'
import { accountInformation, paymentInitiation } from './fixtures.js'

describe('authorization_details', () => {
  test('accepts each type and a mixed array', () => {
    expectValid(AuthorizationDetailSchema, accountInformation)
    expectValid(AuthorizationDetailSchema, paymentInitiation)
    expectValid(AuthorizationDetailsSchema, [accountInformation, paymentInitiation])
  })
  test.each([
    ['unknown type', [{ type: 'tax_filing', actions: ['read'] }]],
    ['missing type', [{ actions: ['list_accounts'] }]],
    ['empty array', []],
    ['object instead of array', accountInformation],
    [
      'payment members under account_information',
      [{ ...paymentInitiation, type: 'account_information' }],
    ],
  ])('rejects %s (RFC 9396 section 5: invalid_authorization_details)', (_, value) =>
    expectInvalid(AuthorizationDetailsSchema, value),
  )
  test('the open variant tolerates other types and extension members (section 7)', () => {
    expectValid(AuthorizationDetailsOpenSchema, [{ type: 'tax_filing', foo: 1 }, paymentInitiation])
    expectInvalid(AuthorizationDetailsOpenSchema, [{ foo: 1 }])
  })
  test('under fastify Ajv options, the matching branch strips unknown members and keeps the rest', () => {
    const validate = createAjv(FASTIFY_AJV_OPTIONS).compile(AuthorizationDetailsSchema)
    const data = [
      { ...paymentInitiation, unknown: 'x' },
      { ...accountInformation, other: 1 },
    ]
    expect(validate(data)).toBe(true)
    expect(data).toEqual([paymentInitiation, accountInformation])
  })
  test('the static type is the union of both types', () => {
    expectTypeOf<AuthorizationDetail>().toEqualTypeOf<AccountInformation | PaymentInitiation>()
    expectTypeOf<Static<typeof AuthorizationDetailsSchema>>().toEqualTypeOf<AuthorizationDetail[]>()
    expectTypeOf<AccountInformation['actions'][number]>().toEqualTypeOf<
      'list_accounts' | 'read_balances' | 'read_transactions' | 'read_payees'
    >()
  })
})
