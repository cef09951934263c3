// Writes a fixture model for the e2e tests in its own process: native-models is ESM-flavoured
// (import.meta) and Playwright's loader runs the specs as CommonJS.
// Usage: node --import tsx e2e/support/writeFixtureModel.mts DIR ARCH [CONFIG_OVERRIDES_JSON]
import fs from 'node:fs'
import path from 'node:path'
import { writeFixtureModel } from '../../native-models/io'

const [dir, arch = 'llama', overrides = '{}'] = process.argv.slice(2)
await writeFixtureModel(dir, { arch: arch as 'llama' | 'gpt2' | 'qwen2', seed: 3 })
const configFile = path.join(dir, 'config.json')
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'))
fs.writeFileSync(configFile, JSON.stringify({ ...config, ...JSON.parse(overrides) }, null, 2))
