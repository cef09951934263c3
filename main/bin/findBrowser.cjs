// Which Chromium the e2e tests drive, or how to get one: `npm test` on a fresh machine must
// find a browser, install one, or stop at once with the one command that would (issue 19).
// planBrowser is pure (facts in, a plan out) so a unit test can feed it any machine.
const fs = require('node:fs')
const path = require('node:path')

/** Names a system Chromium goes by on PATH (Debian, Ubuntu, Fedora, Arch, Chrome). */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']
const MAC_APPS = [
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
]
const APT = 'apt-get install -y chromium'
const PLAYWRIGHT = 'npx playwright install chromium'

/** The first system Chromium on PATH (or in the usual macOS place), else null. */
function systemBrowser(env, platform, exists) {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean)
  for (const dir of dirs) {
    for (const name of NAMES) {
      const file = path.join(dir, name)
      if (exists(file)) return file
    }
  }
  if (platform === 'darwin') return MAC_APPS.find((f) => exists(f)) ?? null
  return null
}

/**
 * facts: { env, platform, isRoot, hasApt, online, exists(file), playwrightBrowser (its
 * executable if Playwright's own Chromium is installed, else null) }.
 * Returns { kind: 'found', path } (path null: Playwright's own browser), { kind: 'install',
 * command, argv, say } or { kind: 'stop', command, say }; `command` is the one to show.
 */
function planBrowser(facts) {
  const { env, platform, exists } = facts
  if (env.CHROMIUM_PATH) {
    if (exists(env.CHROMIUM_PATH)) return { kind: 'found', path: env.CHROMIUM_PATH }
    return {
      kind: 'stop',
      command: 'unset CHROMIUM_PATH',
      say: `CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which does not exist. Point it at a Chromium or unset it.`,
    }
  }
  const system = systemBrowser(env, platform, exists)
  if (system) return { kind: 'found', path: system }
  if (facts.playwrightBrowser) return { kind: 'found', path: null }
  if (platform === 'linux' && facts.isRoot && facts.hasApt) {
    return {
      kind: 'install',
      command: APT,
      argv: ['sh', '-c', `apt-get update -qq && ${APT}`],
      say: `No Chromium found for the end-to-end tests: installing Debian's with \`${APT}\`.`,
    }
  }
  if (facts.online) {
    return {
      kind: 'install',
      command: PLAYWRIGHT,
      argv: ['npx', 'playwright', 'install', 'chromium'],
      say: `No Chromium found for the end-to-end tests: downloading Playwright's with \`${PLAYWRIGHT}\`.`,
    }
  }
  const command = platform === 'linux' && facts.hasApt ? `sudo ${APT}` : PLAYWRIGHT
  return {
    kind: 'stop',
    command,
    say: `No Chromium found for the end-to-end tests (none on PATH, no CHROMIUM_PATH, no Playwright browser) and this machine is offline. Run: ${command}`,
  }
}

/** Playwright's own Chromium if it is installed, else null. */
function playwrightBrowser(exists) {
  try {
    const file = require('@playwright/test').chromium.executablePath()
    return file && exists(file) ? file : null
  } catch {
    return null
  }
}

/** The facts of this machine; `online` is asked for only when it matters (it costs a lookup). */
function machineFacts(online) {
  const exists = (f) => {
    try {
      fs.accessSync(f, fs.constants.X_OK)
      return fs.statSync(f).isFile()
    } catch {
      return false
    }
  }
  return {
    env: process.env,
    platform: process.platform,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasApt: exists('/usr/bin/apt-get'),
    online,
    exists,
    playwrightBrowser: playwrightBrowser(exists),
  }
}

/** Whether Playwright's download host resolves: a DNS lookup in a child, five seconds at most. */
function isOnline() {
  const { spawnSync } = require('node:child_process')
  const probe = "require('node:dns').lookup('cdn.playwright.dev', (e) => process.exit(e ? 1 : 0))"
  return spawnSync(process.execPath, ['-e', probe], { timeout: 5000 }).status === 0
}

/**
 * Finds or installs the browser before any test step runs: { ok, path } with path the
 * executable for CHROMIUM_PATH (null: Playwright's own); ok false once the command to run
 * has been printed.
 */
function ensureBrowser() {
  const { spawnSync } = require('node:child_process')
  let plan = planBrowser(machineFacts(false))
  if (plan.kind === 'stop' && !process.env.CHROMIUM_PATH)
    plan = planBrowser(machineFacts(isOnline()))
  if (plan.kind === 'found') return { ok: true, path: plan.path }
  console.log(plan.say)
  if (plan.kind === 'install') {
    const r = spawnSync(plan.argv[0], plan.argv.slice(1), { stdio: 'inherit' })
    const after = r.status === 0 ? planBrowser(machineFacts(false)) : null
    if (after && after.kind === 'found') return { ok: true, path: after.path }
    console.log(`The install did not give a browser. Run it yourself: ${plan.command}`)
  }
  return { ok: false, path: null }
}

module.exports = { planBrowser, machineFacts, systemBrowser, ensureBrowser }
