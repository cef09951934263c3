#!/usr/bin/env node
// `npm start`: builds when out/ is missing or older than the sources, then opens the Electron
// app, or, where Electron's binary is missing (offline installs, CI, no display), says so in
// one line and starts browser mode, which prints the URL to open.
// `npm run serve -- --port N --data-dir DIR` (= start.cjs --browser ...) always uses browser mode.
const { spawn, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.resolve(__dirname, '..', '..')
const args = process.argv.slice(2)
const browserOnly = args.includes('--browser')
const passThrough = args.filter((a) => a !== '--browser')

const SOURCES = [
  'main',
  'preload',
  'renderer',
  'native-models',
  'electron.vite.config.ts',
  'package.json',
]
const OUTPUTS = [
  'out/main/index.js',
  'out/main/serve.js',
  'out/main/compute.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
]

function newestMtime(target) {
  let stat
  try {
    stat = fs.statSync(target)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = 0
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    if (/\.test\.tsx?$/.test(entry.name)) continue
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)))
  }
  return newest
}

function buildIfNeeded() {
  const outputs = OUTPUTS.map((f) => path.join(root, f))
  const missing = outputs.some((f) => !fs.existsSync(f))
  const builtAt = missing ? 0 : Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs))
  const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))))
  if (!missing && builtAt >= sourcesAt) return
  console.log(
    missing ? 'Building Glassbox (first start)…' : 'Sources changed; rebuilding Glassbox…',
  )
  const bin = path.join(
    root,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite',
  )
  const r = spawnSync(bin, ['build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    shell: process.platform === 'win32',
  })
  if (r.status !== 0) {
    console.error('The build failed (see above); run `npm run build` to see every message.')
    process.exit(1)
  }
}

/** The Electron binary, or why there is none. */
function findElectron() {
  let binary
  try {
    binary = require(require.resolve('electron', { paths: [root] }))
  } catch (err) {
    const missing = err && err.code === 'MODULE_NOT_FOUND'
    return {
      reason: missing ? 'the electron package is not installed' : 'its binary was never downloaded',
      packageMissing: missing,
    }
  }
  if (typeof binary !== 'string' || !fs.existsSync(binary)) {
    return { reason: 'its binary was never downloaded' }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (DISPLAY is not set)' }
  }
  return { binary }
}

/**
 * Electron is an optional dependency: its download fails offline and `npm install` carries on.
 * A person starting the app by hand gets one more try (never in CI, never twice).
 */
function tryFetchElectronOnce() {
  const marker = path.join(root, 'node_modules', '.cache', 'glassbox', 'electron-fetch-tried')
  if (process.env.CI || process.env.GLASSBOX_NO_ELECTRON_FETCH || !process.stdin.isTTY) return
  if (fs.existsSync(marker)) return
  fs.mkdirSync(path.dirname(marker), { recursive: true })
  fs.writeFileSync(marker, new Date().toISOString() + '\n')
  const range = require(path.join(root, 'package.json')).optionalDependencies?.electron ?? 'latest'
  console.log(
    `Electron is missing; trying once to install it (npm install electron@${range}, at most 90 s)…`,
  )
  spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', `electron@${range}`], {
    cwd: root,
    stdio: 'ignore',
    timeout: 90_000,
    shell: process.platform === 'win32',
  })
}

function run(cmd, cmdArgs) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)))
}

buildIfNeeded()
if (!browserOnly) {
  let electron = findElectron()
  if (!electron.binary && electron.packageMissing) {
    tryFetchElectronOnce()
    electron = findElectron()
  }
  if (electron.binary) {
    run(electron.binary, [root, ...passThrough])
    return
  }
  console.log(
    `Electron cannot start here: ${electron.reason}. Glassbox runs in browser mode instead; open the URL below.`,
  )
}
run(process.execPath, [path.join(root, 'out', 'main', 'serve.js'), ...passThrough])
