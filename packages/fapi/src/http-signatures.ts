/**
 * HTTP Message Signatures (RFC 9421) with Content-Digest (RFC 9530), as the FAPI 2.0 HTTP
 * Signatures draft profiles them for resource requests and responses: the signature base of
 * derived components and fields, `Signature-Input` and `Signature` as structured-field dictionaries
 * (RFC 8941), signing and verification with the asymmetric algorithms only.
 * @see https://www.rfc-editor.org/rfc/rfc9421.html
 * @see https://www.rfc-editor.org/rfc/rfc9530.html
 */
import { base64url } from 'jose'
import { echo } from './errors/describe.js'
import { OAuthError } from './errors/oauth-error.js'
import { rules } from './errors/rules.js'

/** RFC 9421 section 6.2 names of the asymmetric algorithms (MS-HSIG-09: no hmac-sha256). */
export const HTTP_SIGNATURE_ALGS = ['ecdsa-p256-sha256', 'ed25519', 'rsa-pss-sha512'] as const
export type HttpSignatureAlg = (typeof HTTP_SIGNATURE_ALGS)[number]

/** An HTTP message as far as a signature covers it. Header names in lower case. */
export interface SignableMessage {
  method?: string | undefined
  /** The absolute request URL. */
  targetUri?: string | undefined
  /** A response's status code. */
  status?: number | undefined
  headers: Readonly<Record<string, string | undefined>>
  /** For a response: the request it answers, for components with `;req` (RFC 9421 section 2.4). */
  request?: SignableMessage | undefined
}

/** A covered component: `"@method"`, `"content-digest";req`, `"signature";req;key="sig1"`. */
export interface ComponentId {
  name: string
  req?: boolean | undefined
  key?: string | undefined
}

/** RFC 9421 section 2.3 signature parameters. */
export interface SignatureParameters {
  created?: number | undefined
  expires?: number | undefined
  nonce?: string | undefined
  alg?: string | undefined
  keyid?: string | undefined
  tag?: string | undefined
}

const PARAMETER_ORDER = ['created', 'expires', 'nonce', 'alg', 'keyid', 'tag'] as const

const sfString = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`

function serializeComponent(component: ComponentId): string {
  return `${sfString(component.name)}${component.req ? ';req' : ''}${component.key === undefined ? '' : `;key=${sfString(component.key)}`}`
}

/** The `@signature-params` value: the inner list of components and the parameters (section 2.3). */
export function serializeSignatureParams(
  components: readonly ComponentId[],
  parameters: SignatureParameters,
): string {
  let out = `(${components.map(serializeComponent).join(' ')})`
  for (const name of PARAMETER_ORDER) {
    const value = parameters[name]
    if (value === undefined) continue
    out += typeof value === 'number' ? `;${name}=${value}` : `;${name}=${sfString(value)}`
  }
  return out
}

/** A structured-field dictionary member's raw text, for `"signature";key="sig1"` (section 2.1.2). */
function dictionaryMember(field: string, key: string): string | undefined {
  return parseDictionary(field).get(key)?.raw
}

function componentValue(message: SignableMessage, component: ComponentId): string {
  const source = component.req ? message.request : message
  if (source === undefined) throw new MissingComponent(component)
  const { name } = component
  if (name.startsWith('@')) {
    const url = source.targetUri === undefined ? undefined : new URL(source.targetUri)
    const value = (() => {
      switch (name) {
        case '@method':
          return source.method?.toUpperCase()
        case '@target-uri':
          return source.targetUri
        case '@authority':
          return url?.host.toLowerCase()
        case '@scheme':
          return url?.protocol.slice(0, -1).toLowerCase()
        case '@path':
          return url?.pathname
        case '@query':
          return url === undefined ? undefined : url.search === '' ? '?' : url.search
        case '@request-target':
          return url === undefined ? undefined : `${url.pathname}${url.search}`
        case '@status':
          return source.status === undefined ? undefined : String(source.status)
        default:
          return undefined
      }
    })()
    if (value === undefined) throw new MissingComponent(component)
    return value
  }
  const field = source.headers[name]
  if (field === undefined) throw new MissingComponent(component)
  // Section 2.1: leading and trailing whitespace removed, obs-fold gone.
  const value = field.replace(/\s*\r?\n\s*/g, ' ').trim()
  if (component.key === undefined) return value
  const member = dictionaryMember(value, component.key)
  if (member === undefined) throw new MissingComponent(component)
  return member
}

class MissingComponent extends Error {
  readonly component: ComponentId
  constructor(component: ComponentId) {
    super(`the message has no ${serializeComponent(component)}`)
    this.component = component
  }
}

/**
 * The signature base (RFC 9421 section 2.5): one line per covered component, then
 * `"@signature-params"`.
 * @throws Error when a covered component is not in the message
 */
export function createSignatureBase(
  message: SignableMessage,
  components: readonly ComponentId[],
  parameters: SignatureParameters,
): string {
  const lines = components.map(
    (component) => `${serializeComponent(component)}: ${componentValue(message, component)}`,
  )
  lines.push(`"@signature-params": ${serializeSignatureParams(components, parameters)}`)
  return lines.join('\n')
}

type KeyAlgorithm = AlgorithmIdentifier | RsaPssParams | EcdsaParams

function algorithmOf(alg: HttpSignatureAlg): KeyAlgorithm {
  switch (alg) {
    case 'ecdsa-p256-sha256':
      // WebCrypto signs ECDSA as r || s, the form section 3.3.4 requires.
      return { name: 'ECDSA', hash: 'SHA-256' }
    case 'ed25519':
      return { name: 'Ed25519' }
    case 'rsa-pss-sha512':
      return { name: 'RSA-PSS', saltLength: 64 }
  }
}

export interface SignMessageOptions {
  /** The dictionary key of this signature, e.g. `sig1`. */
  label: string
  components: readonly ComponentId[]
  parameters: SignatureParameters
  key: CryptoKey
  alg: HttpSignatureAlg
}

/**
 * Signs a message (section 3.1): the `Signature-Input` and `Signature` header values to add.
 * @see https://www.rfc-editor.org/rfc/rfc9421.html#section-3.1
 */
export async function signHttpMessage(
  message: SignableMessage,
  options: SignMessageOptions,
): Promise<{ 'signature-input': string; signature: string }> {
  const base = createSignatureBase(message, options.components, options.parameters)
  const signature = new Uint8Array(
    await crypto.subtle.sign(algorithmOf(options.alg), options.key, new TextEncoder().encode(base)),
  )
  return {
    'signature-input': `${options.label}=${serializeSignatureParams(options.components, options.parameters)}`,
    signature: `${options.label}=:${toBase64(signature)}:`,
  }
}

const toBase64 = (bytes: Uint8Array) =>
  base64url.encode(bytes).replaceAll('-', '+').replaceAll('_', '/') +
  '='.repeat((4 - (Math.ceil((bytes.length * 4) / 3) % 4)) % 4)

function fromBase64(text: string): Uint8Array {
  return base64url.decode(text.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''))
}

/** A parsed `Signature-Input` member. */
export interface SignatureInput {
  components: ComponentId[]
  parameters: SignatureParameters & Record<string, string | number | boolean>
}

interface DictionaryMember {
  raw: string
}

/**
 * Splits a structured-field dictionary (RFC 8941 section 3.2) into members, keeping each
 * member's text; quoted strings and byte sequences may contain the separators.
 */
function parseDictionary(field: string): Map<string, DictionaryMember> {
  const members = new Map<string, DictionaryMember>()
  let index = 0
  const text = field.trim()
  while (index < text.length) {
    const keyMatch = /^[a-z*][a-z0-9_\-.*]*/.exec(text.slice(index))
    if (keyMatch === null) throw new SyntaxError('bad dictionary key')
    const key = keyMatch[0]
    index += key.length
    let raw = ''
    if (text[index] === '=') {
      index += 1
      const start = index
      let depth = 0
      let quoted = false
      while (index < text.length) {
        const ch = text[index]
        if (quoted) {
          if (ch === '\\') index += 1
          else if (ch === '"') quoted = false
        } else if (ch === '"') quoted = true
        else if (ch === '(') depth += 1
        else if (ch === ')') depth -= 1
        else if (ch === ',' && depth === 0) break
        index += 1
      }
      raw = text.slice(start, index).trim()
    }
    members.set(key, { raw })
    while (index < text.length && (text[index] === ',' || text[index] === ' ')) index += 1
  }
  return members
}

/** Parameters `;name=value` (string, integer or boolean) from the start of `text`. */
function parseParameters(text: string): Record<string, string | number | boolean> {
  const parameters: Record<string, string | number | boolean> = {}
  const pattern =
    /;\s*([a-z*][a-z0-9_\-.*]*)(?:=("(?:[^"\\]|\\.)*"|-?\d+|\?[01]|[A-Za-z*][^;\s]*))?/gy
  let match = pattern.exec(text)
  while (match !== null) {
    const [, name = '', value] = match
    parameters[name] =
      value === undefined
        ? true
        : value.startsWith('"')
          ? value.slice(1, -1).replace(/\\(.)/g, '$1')
          : /^-?\d+$/.test(value)
            ? Number(value)
            : value === '?1'
              ? true
              : value === '?0'
                ? false
                : value
    match = pattern.exec(text)
  }
  return parameters
}

/** The members of a `Signature-Input` header (section 4.1). */
export function parseSignatureInput(field: string): Map<string, SignatureInput> {
  const parsed = new Map<string, SignatureInput>()
  for (const [label, { raw }] of parseDictionary(field)) {
    const list = /^\(([^)]*)\)(.*)$/.exec(raw)
    if (list === null) throw new SyntaxError(`${label} is not an inner list`)
    const components: ComponentId[] = []
    for (const item of (list[1] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"((?:;[^\s;]+)*)/g)) {
      const parameters = parseParameters(item[2] ?? '')
      components.push({
        name: (item[1] ?? '').replace(/\\(.)/g, '$1'),
        ...(parameters.req === true ? { req: true } : {}),
        ...(typeof parameters.key === 'string' ? { key: parameters.key } : {}),
      })
    }
    parsed.set(label, { components, parameters: parseParameters(list[2] ?? '') })
  }
  return parsed
}

/** The members of a `Signature` header: byte sequences `:base64:` (section 4.2). */
export function parseSignature(field: string): Map<string, Uint8Array> {
  const parsed = new Map<string, Uint8Array>()
  for (const [label, { raw }] of parseDictionary(field)) {
    const bytes = /^:([A-Za-z0-9+/=]*):$/.exec(raw)
    if (bytes === null) throw new SyntaxError(`${label} is not a byte sequence`)
    parsed.set(label, fromBase64(bytes[1] ?? ''))
  }
  return parsed
}

/**
 * `Content-Digest` of a body with SHA-256 (RFC 9530 section 2): `sha-256=:<base64>:`.
 * @see https://www.rfc-editor.org/rfc/rfc9530.html#section-2
 */
export async function calculateContentDigest(body: Uint8Array | string): Promise<string> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return `sha-256=:${toBase64(digest)}:`
}

export interface VerifyHttpSignatureOptions {
  /** The signature to verify; the only one in the message when absent. */
  label?: string | undefined
  key: CryptoKey
  alg: HttpSignatureAlg
  /** Seconds since the epoch. */
  now: number
  /** How old `created` may be (HSIG: one minute recommended). */
  maxAgeSeconds: number
  /** Components the profile requires (MS-HSIG-04). */
  required: readonly ComponentId[]
  /** The `tag` the profile requires, e.g. `fapi-2-request` (MS-HSIG-03). */
  tag?: string | undefined
  /** The message body, checked against its `Content-Digest` when it is covered. */
  body?: Uint8Array | string | undefined
}

export interface VerifiedHttpSignature {
  label: string
  input: SignatureInput
}

const sameComponent = (a: ComponentId, b: ComponentId) =>
  a.name === b.name && (a.req ?? false) === (b.req ?? false) && a.key === b.key

/**
 * Verifies a message's signature (RFC 9421 section 3.2) as the FAPI 2.0 HTTP Signatures profile
 * asks: the signature present and valid for the key, `tag`, the required components covered,
 * `created` present and recent, an asymmetric algorithm, and the body matching its digest.
 * @throws OAuthError MS-HSIG-02, MS-HSIG-03, MS-HSIG-04, MS-HSIG-05, MS-HSIG-09
 * @see https://www.rfc-editor.org/rfc/rfc9421.html#section-3.2
 */
export async function verifyHttpSignature(
  message: SignableMessage,
  options: VerifyHttpSignatureOptions,
): Promise<VerifiedHttpSignature> {
  const inputField = message.headers['signature-input']
  const signatureField = message.headers.signature
  if (inputField === undefined || signatureField === undefined) {
    throw new OAuthError(rules.httpSignatureMissing, 'no Signature-Input or Signature header')
  }
  let inputs: Map<string, SignatureInput>
  let signatures: Map<string, Uint8Array>
  try {
    inputs = parseSignatureInput(inputField)
    signatures = parseSignature(signatureField)
  } catch (error) {
    throw new OAuthError(rules.httpSignatureMissing, (error as Error).message)
  }
  const label = options.label ?? [...inputs.keys()][0]
  const input = label === undefined ? undefined : inputs.get(label)
  const signature = label === undefined ? undefined : signatures.get(label)
  if (label === undefined || input === undefined || signature === undefined) {
    throw new OAuthError(rules.httpSignatureMissing, `no signature ${echo(label ?? '')}`)
  }
  const { parameters } = input
  if (typeof parameters.alg === 'string' && parameters.alg !== options.alg) {
    throw new OAuthError(rules.httpSignatureAlg, `got ${echo(parameters.alg)}`)
  }
  if (options.tag !== undefined && parameters.tag !== options.tag) {
    throw new OAuthError(
      rules.httpSignatureTag,
      `expected ${echo(options.tag)}, got ${echo(parameters.tag ?? 'none')}`,
    )
  }
  for (const required of options.required) {
    if (!input.components.some((component) => sameComponent(component, required))) {
      throw new OAuthError(
        rules.httpSignatureComponents,
        `${serializeComponent(required)} is not covered`,
      )
    }
  }
  if (typeof parameters.created !== 'number') {
    throw new OAuthError(rules.httpSignatureCreated, 'created is missing')
  }
  const age = options.now - parameters.created
  if (age > options.maxAgeSeconds || age < -options.maxAgeSeconds) {
    throw new OAuthError(rules.httpSignatureCreated, `created is ${age} s from now`)
  }
  if (typeof parameters.expires === 'number' && parameters.expires <= options.now) {
    throw new OAuthError(rules.httpSignatureCreated, 'the signature has expired')
  }
  let base: string
  try {
    base = createSignatureBase(message, input.components, parameters)
  } catch (error) {
    throw new OAuthError(rules.httpSignatureComponents, (error as Error).message)
  }
  const valid = await crypto.subtle
    .verify(
      algorithmOf(options.alg),
      options.key,
      new Uint8Array(signature),
      new TextEncoder().encode(base),
    )
    .catch(() => false)
  if (!valid) throw new OAuthError(rules.httpSignatureInvalid, 'the signature does not verify')
  const digestCovered = input.components.some(
    (component) => component.name === 'content-digest' && !component.req,
  )
  if (digestCovered && options.body !== undefined) {
    const expected = await calculateContentDigest(options.body)
    const sent = parseDictionary(message.headers['content-digest'] ?? '').get('sha-256')?.raw
    if (sent === undefined || `sha-256=${sent}` !== expected) {
      throw new OAuthError(rules.httpSignatureInvalid, 'the body does not match its Content-Digest')
    }
  }
  return { label, input }
}
