/**
 * @peculiar/x509 (RFC 5280 certificate encoding), loaded after the Reflect metadata polyfill its
 * dependency injection (tsyringe) requires, and bound to Node's WebCrypto, so every module of this package shares one configured instance.
 */
import 'reflect-metadata'
import { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto)

export { x509 }
