/**
 * The demo fintech in a real browser: Debian's Chromium driven by playwright-core through the whole
 * journey at the DPoP bank, the mutual-TLS bank and the signing bank: connect → sign in → one-time
 * code → consent → accounts → pay → settled → disconnect → access gone. A screenshot of every step
 * goes to test-output/browser/<bank>/ (and one on failure), and basic accessibility is checked on
 * the fintech's pages: labelled inputs, one h1, and buttons reachable with the keyboard.
 *
 * Without Chromium the test is skipped with how to install it; under CI=true that is a failure.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest'
import type { RunningSandbox } from '../src/launch.js'
import { CONSOLE, FINTECH } from '../src/services.js'
import { CHROMIUM_HINT, findChromium, type LaunchedChromium, launchChromium } from './chromium.js'
import { ALICE } from './fintech-user.js'
import { useLaunchedSandbox } from './launched-sandbox.js'

const executable = findChromium()
if (executable === undefined) {
  if (process.env.CI === 'true') {
    throw new Error(`the browser test needs Chromium under CI: ${CHROMIUM_HINT}`)
  }
  console.warn(`browser test skipped: no Chromium found; ${CHROMIUM_HINT}`)
}

/** What the checks read of an element in the page. */
interface FieldInPage {
  type: string
  labels: { length: number } | null
  outerHTML: string
  closest(selector: string): unknown
  matches(selector: string): boolean
}

const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'test-output', 'browser')

let sandbox: RunningSandbox
let browser: LaunchedChromium
let fintech: string

describe.skipIf(executable === undefined)('the demo fintech in Chromium', () => {
  const launched = useLaunchedSandbox('launch-browser')
  beforeAll(async () => {
    sandbox = launched.sandbox
    fintech = launched.url(FINTECH)
    browser = await launchChromium(executable ?? '', sandbox.pki.server.certPem)
  })
  // Registered after the launch: after-hooks run in reverse, so the browser closes first.
  afterAll(async () => {
    await browser?.close()
  })

  /** Every visible input and select has a label, the page has one h1. */
  async function checkAccessibility(page: Page): Promise<void> {
    // Runs in the page; typed by hand, as this package compiles without the DOM library.
    const unlabelled = await page.locator('main input, main select').evaluateAll((elements) =>
      (elements as unknown as FieldInPage[])
        .filter((field) => field.type !== 'hidden' && field.closest('[hidden]') === null)
        .filter((field) => field.labels === null || field.labels.length === 0)
        .map((field) => field.outerHTML),
    )
    expect(unlabelled).toEqual([])
    expect(await page.locator('h1').count()).toBe(1)
  }

  /** Tabs from the top of the page until `target` has focus: it is reachable by keyboard. */
  async function reachByKeyboard(page: Page, name: string | RegExp): Promise<void> {
    const target = page.getByRole('button', { name })
    await page.locator('body').focus()
    for (let presses = 0; presses < 40; presses += 1) {
      await page.keyboard.press('Tab')
      if (await target.evaluate((element) => (element as unknown as FieldInPage).matches(':focus')))
        return
    }
    throw new Error(`the button ${String(name)} cannot be reached with Tab`)
  }

  /** Signs alice in at the bank (when the bank asks) and approves on its consent page. */
  async function approveAtBank(page: Page, shot: (name: string) => Promise<void>): Promise<void> {
    await page.waitForSelector('input[name=username], form[action$="/consent"]')
    if ((await page.locator('input[name=username]').count()) > 0) {
      await shot('bank-sign-in')
      await page.fill('input[name=username]', ALICE.username)
      await page.fill('input[name=password]', ALICE.password)
      await page.click('button[type=submit].primary')
      await page.waitForSelector('input[name=code]')
      await shot('bank-one-time-code')
      await page.fill('input[name=code]', ALICE.oneTimeCode)
      await page.click('button[type=submit].primary')
    }
    await page.waitForSelector('form[action$="/consent"]')
    await expect.poll(() => page.textContent('body')).toContain('Demo Fintech')
    for (const box of await page.locator('input[name=accounts]').all()) await box.check()
    const payer = page.locator('input[type=radio][name^=payer]')
    if ((await payer.count()) > 0) await payer.first().check()
    await shot('bank-consent')
    await page.click('button[value=approve]')
  }

  test.each([
    { bankId: 'aurora', name: 'Aurora Bank', payee: { scheme: 'SortCodeAccountNumber' } },
    { bankId: 'meridian', name: 'Meridian Bank', payee: { scheme: 'IBAN' } },
    { bankId: 'fjord', name: 'Fjord Sparbank', payee: { scheme: 'IBAN' } },
  ])(
    'connect, see accounts, pay, see it settle, disconnect at $bankId',
    async ({ bankId, name, payee }) => {
      const folder = join(SCREENSHOTS, bankId)
      rmSync(folder, { recursive: true, force: true })
      mkdirSync(folder, { recursive: true })
      const page = await browser.context.newPage()
      let step = 0
      const shot = async (label: string) => {
        step += 1
        await page.screenshot({
          path: join(folder, `${String(step).padStart(2, '0')}-${label}.png`),
          fullPage: true,
        })
      }
      onTestFailed(async () => {
        await page
          .screenshot({ path: join(folder, 'failure.png'), fullPage: true })
          .catch(() => undefined)
      })
      try {
        // Choose your bank.
        await page.goto(`${fintech}/`)
        await page.getByRole('heading', { level: 1, name: 'Connect your bank' }).waitFor()
        await checkAccessibility(page)
        await shot('choose-bank')

        // Connect: what to share, then off to the bank.
        await page.getByRole('link', { name: `Connect ${name}` }).click()
        await page.getByRole('heading', { level: 1, name: `Connect ${name}` }).waitFor()
        await checkAccessibility(page)
        await reachByKeyboard(page, `Continue to ${name}`)
        await shot('connect')
        await page.getByRole('button', { name: `Continue to ${name}` }).click()
        await approveAtBank(page, shot)

        // Back at the fintech: accounts and balances.
        await page.waitForURL(/#\/dashboard$/)
        await page.getByRole('heading', { level: 1, name: 'Your accounts' }).waitFor()
        await page.getByText(`Connected to ${name}`).waitFor()
        await page.getByTestId('balance').first().waitFor()
        expect(await page.getByTestId('balance').count()).toBeGreaterThan(0)
        await page.locator('figure.chart').first().waitFor()
        await checkAccessibility(page)
        await shot('dashboard')

        // One account's transactions, newest first, then a search.
        await page.getByRole('link', { name: 'Transactions' }).first().click()
        await page.getByRole('heading', { level: 1, name: 'Transactions' }).waitFor()
        await page.locator('table.transactions tbody tr').first().waitFor()
        await checkAccessibility(page)
        await shot('transactions')
        await page.getByRole('button', { name: 'Older →' }).click()
        await page.getByRole('button', { name: '← Newer' }).and(page.locator(':enabled')).waitFor()
        await page.getByLabel('Search').fill('zzz-no-such-merchant')
        await page.getByRole('button', { name: 'Search', exact: true }).click()
        await page.getByText('Nothing matches').waitFor()
        await page.getByRole('link', { name: '← All accounts' }).click()
        await page.getByTestId('balance').first().waitFor()

        // Pay someone: a new payee, approved at the bank.
        await page.getByRole('link', { name: 'Pay someone' }).click()
        await page.getByRole('heading', { level: 1, name: 'Pay someone' }).waitFor()
        await page.getByLabel('Pay from bank').selectOption(bankId)
        await page.getByLabel('Name').fill('Northwind Energy')
        await page.locator('#scheme').selectOption(payee.scheme)
        if (payee.scheme === 'IBAN') await page.getByLabel('IBAN').fill('DE89370400440532013000')
        else {
          await page.getByLabel('Sort code').fill('200000')
          await page.getByLabel('Account number').fill('55779911')
        }
        await page.getByLabel('Amount').fill('3.25')
        await page.getByLabel('Reference').fill('Browser test')
        await checkAccessibility(page)
        await reachByKeyboard(page, 'Continue to your bank')
        await shot('pay')
        await page.getByRole('button', { name: 'Continue to your bank' }).click()
        await approveAtBank(page, shot)

        // The payment's status, live until settled.
        await page.waitForURL(/#\/payments\//)
        await expect
          .poll(() => page.getByTestId('payment-status').textContent(), { timeout: 20_000 })
          .toBe('Settled')
        await checkAccessibility(page)
        await shot('payment-settled')

        // Connections: disconnect, confirmed by the bank.
        await page.getByRole('link', { name: 'Connections' }).click()
        await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor()
        await checkAccessibility(page)
        await shot('connections')
        await page.getByRole('button', { name: 'Disconnect' }).click()
        await page.getByText('Access revoked').waitFor()
        await expect
          .poll(() => page.getByTestId('connection-status').first().textContent())
          .toBe('Disconnected')
        await shot('disconnected')

        // Access gone: the dashboard has nothing from the bank.
        await page.getByRole('link', { name: 'Dashboard' }).click()
        await page.getByText('No bank is connected yet.').waitFor()
        await shot('access-gone')
      } finally {
        await page.close()
      }
    },
  )

  test('the console shows the journeys as flows, message by message, with no secret on the page', async () => {
    const folder = join(SCREENSHOTS, 'console')
    rmSync(folder, { recursive: true, force: true })
    mkdirSync(folder, { recursive: true })
    const consoleUrl = sandbox.services.find((service) => service.name === CONSOLE)?.url ?? ''
    const page = await browser.context.newPage()
    onTestFailed(async () => {
      await page
        .screenshot({ path: join(folder, 'failure.png'), fullPage: true })
        .catch(() => undefined)
    })
    try {
      await page.goto(`${consoleUrl}/#/flows`)
      await page.getByText('live', { exact: true }).waitFor()
      // The journeys above: connecting (and paying) at each bank, and the API calls after them.
      await page
        .getByRole('link', { name: /Connecting a bank at aurora/ })
        .first()
        .waitFor()
      await page
        .getByRole('link', { name: /API calls at aurora/ })
        .first()
        .waitFor()
      await page.screenshot({ path: join(folder, '01-flows.png'), fullPage: true })

      await page
        .getByRole('link', { name: /Connecting a bank at aurora/ })
        .last()
        .click()
      await page.locator('svg.diagram g.message').first().waitFor()
      const labels = await page.locator('svg.diagram g.message text').allTextContents()
      const steps = labels.map((label) => label.replace(/^\d+\. /, '').split(' ')[0])
      const order = ['par', 'authorize', 'password', 'code', 'consent', 'callback', 'token']
      const positions = order.map((step) => steps.indexOf(step))
      expect(
        positions.every((position) => position >= 0),
        steps.join(', '),
      ).toBe(true)
      expect([...positions].sort((a, b) => a - b)).toEqual(positions)

      // Replay: the keyboard moves through the messages.
      await page.keyboard.press('ArrowRight')
      await page.getByText(`Message 2 of ${labels.length}`).waitFor()

      // The token request: its client assertion decoded, its signature verified, its checks listed.
      await page.locator('svg.diagram g.message', { hasText: /\. token / }).click()
      await page.getByRole('heading', { level: 4, name: /client_assertion/ }).waitFor()
      await expect
        .poll(() => page.getByTestId('jwt-signature').allTextContents())
        .toContain('signature verified')
      expect(await page.locator('.checks li').count()).toBeGreaterThan(0)
      await page.screenshot({ path: join(folder, '02-token-message.png'), fullPage: true })

      // No password, one-time code or private key on the page or in anything the console stored.
      const body = (await page.textContent('body')) ?? ''
      const stored = await page.evaluate(async () => {
        const { flows } = (await (await fetch('/api/flows?limit=500')).json()) as {
          flows: Array<{ flowId: string }>
        }
        const texts = await Promise.all(
          flows.map(async (flow) => (await fetch(`/api/flows/${flow.flowId}`)).text()),
        )
        return texts.join('\n')
      })
      for (const secret of [ALICE.password, ALICE.oneTimeCode, '"d":']) {
        expect(body).not.toContain(secret)
        expect(stored).not.toContain(secret)
      }

      await page.getByRole('link', { name: 'Ecosystem' }).click()
      await page.getByRole('heading', { level: 1, name: 'The ecosystem' }).waitFor()
      await page.getByRole('heading', { level: 2, name: /Aurora Bank/ }).waitFor()
      await page.screenshot({ path: join(folder, '03-ecosystem.png'), fullPage: true })
      expect((await page.textContent('body')) ?? '').not.toContain(ALICE.password)
    } finally {
      await page.close()
    }
  })
})
