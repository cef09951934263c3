#!/usr/bin/env node
// The `glassbox` command. An installed copy runs the build (out/main/cli.js); a source
// checkout runs main/cli.ts through tsx, so edits need no rebuild. Every argument,
// stdin/stdout and the exit code pass through.
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { pathToFileURL } = require('node:url')

const root = path.resolve(__dirname, '..', '..')
const source = path.join(root, 'main', 'cli.ts')
const built = path.join(root, 'out', 'main', 'cli.js')

function tsxLoader() {
  try {
    return pathToFileURL(require.resolve('tsx', { paths: [root] })).href
  } catch {
    return null
  }
}

const tsx = fs.existsSync(source) ? tsxLoader() : null
if (!tsx && !fs.existsSync(built)) {
  console.error(`glassbox: this install has no build (${built}): run \`npm run build\` in ${root}.`)
  process.exit(1)
}
const args = tsx ? ['--import', tsx, source] : [built]
const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal)
  else process.exit(code ?? 1)
})
