#!/usr/bin/env node
// `npm test`: every check in one command, ending with one line `N passed, N failed` that sums
// unit and e2e tests (CI reads it). Steps run in order; a failing step still lets the later
// test steps run so the summary counts everything.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const { ensureBrowser } = require('./findBrowser.cjs')

const root = path.resolve(__dirname, '..', '..')
process.chdir(root)
process.env.ONNXRUNTIME_NODE_INSTALL = 'skip'
// Before anything slow: without a browser the e2e step cannot run, so say how to get one now.
const browser = ensureBrowser()
if (!browser.ok) process.exit(1)
if (browser.path) process.env.CHROMIUM_PATH = browser.path
fs.rmSync('test-results', { recursive: true, force: true })

function run(label, cmd, args) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`)
  const t0 = Date.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false })
  console.log(`=== ${label}: exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  return r.status === 0
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const ok = {}
ok.lint = run('lint', bin('eslint'), ['.'])
ok.format = run('format', bin('prettier'), ['--check', '.'])
ok.typecheck =
  run('typecheck node', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']) &&
  run('typecheck web', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit'])
ok.build = run('build', bin('electron-vite'), ['build'])
ok.unit = run('unit tests', bin('vitest'), ['run'])
// Read now: Playwright empties its output folder (test-results/) when it starts.
const unit = readJson('test-results/unit.json')
ok.e2e = ok.build ? run('e2e tests', bin('playwright'), ['test']) : false

let passed = 0
let failed = 0
if (unit) {
  passed += unit.numPassedTests ?? 0
  failed += unit.numFailedTests ?? 0
} else failed += 1
const e2e = readJson('test-results/e2e.json')
if (e2e && e2e.stats) {
  passed += e2e.stats.expected ?? 0
  failed += (e2e.stats.unexpected ?? 0) + (e2e.stats.flaky ?? 0)
} else failed += 1
// A check that is not a test (lint, types, build) still fails the run and counts once.
for (const step of ['lint', 'format', 'typecheck', 'build']) if (!ok[step]) failed += 1
if (unit && !ok.unit && (unit.numFailedTests ?? 0) === 0) failed += 1 // suite-level failure
const skipped = (unit?.numPendingTests ?? 0) + (e2e?.stats?.skipped ?? 0)
console.log(
  '\nsteps: ' +
    Object.entries(ok)
      .map(([k, v]) => `${k} ${v ? 'ok' : 'FAILED'}`)
      .join(', '),
)
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed === 0 && Object.values(ok).every(Boolean) ? 0 : 1)
