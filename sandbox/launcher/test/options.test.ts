import { describe, expect, test } from 'vitest'
import { DEFAULT_BASE_PORT, parseStartOptions, UsageError } from '../src/options.js'

describe('parseStartOptions', () => {
  test('defaults resolve the data folder against the working directory', () => {
    const options = parseStartOptions([], '/srv/sandbox')
    expect(options).toEqual({
      dataDir: '/srv/sandbox/.data',
      host: 'localhost',
      basePort: DEFAULT_BASE_PORT,
      seed: 42,
      customersPerBank: 50,
      asOf: undefined,
      reset: false,
      consoleFlows: 500,
      help: false,
    })
  })

  test('every option is read', () => {
    const options = parseStartOptions(
      ['--data-dir', 'x', '--host', '127.0.0.1', '--base-port', '9000', '--seed', '7'].concat([
        '--customers=1000',
        '--as-of',
        '2025-12-31',
        '--reset',
        '--console-flows',
        '50',
      ]),
      '/w',
    )
    expect(options).toMatchObject({
      dataDir: '/w/x',
      host: '127.0.0.1',
      basePort: 9000,
      seed: 7,
      customersPerBank: 1000,
      asOf: '2025-12-31',
      reset: true,
      consoleFlows: 50,
    })
  })

  test.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--customers=-5'], '--customers must be between 1 and 10000000, got -5'],
    [['--customers', '-5'], "Option '--customers' argument is ambiguous (see --help)"],
    [['--seed'], "Option '--seed <value>' argument missing (see --help)"],
    [['--customers', '0'], '--customers must be between 1 and 10000000, got 0'],
    [['--customers', 'many'], "--customers must be a whole number, got 'many'"],
    [['--seed', '1.5'], "--seed must be a whole number, got '1.5'"],
    [['--base-port', '80'], '--base-port must be between 1024 and 65526, got 80'],
    [['--as-of', '2025-02-30'], "--as-of must be a calendar date as YYYY-MM-DD, got '2025-02-30'"],
    [['--data-dir', ''], '--data-dir must not be empty'],
    [['stray'], 'Unexpected argument'],
  ])('rejects %j with a one-line UsageError', (argv, message) => {
    let caught: unknown
    try {
      parseStartOptions(argv)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(UsageError)
    const text = (caught as Error).message
    expect(text).toContain(message)
    expect(text).not.toContain('\n')
  })
})
