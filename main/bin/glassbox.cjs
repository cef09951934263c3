#!/usr/bin/env node
// The `glassbox` command: runs main/cli.ts from source through tsx's loader, passing every
// argument, stdin/stdout and the exit code through.
const { spawn } = require('node:child_process')
const path = require('node:path')
const { pathToFileURL } = require('node:url')

const root = path.resolve(__dirname, '..', '..')
const tsx = pathToFileURL(require.resolve('tsx', { paths: [root] })).href
const child = spawn(
  process.execPath,
  ['--import', tsx, path.join(root, 'main', 'cli.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal)
  else process.exit(code ?? 1)
})
