/** Writes docs/spec-map.md from the rules registries and the code and tests that refer to them. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { RULE_REGISTRIES, readSources, renderSpecMap } from '@sandbox/launcher/spec-map'

const root = join(import.meta.dirname, '..')
writeFileSync(join(root, 'docs', 'spec-map.md'), renderSpecMap(RULE_REGISTRIES, readSources(root)))
console.log('docs/spec-map.md written')
