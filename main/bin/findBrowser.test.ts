// planBrowser on machines this one is not: no Chromium anywhere, root or not, on- or offline.
import { describe, expect, it } from 'vitest'
import { planBrowser, type BrowserFacts } from './findBrowser.cjs'

const bare = (over: Partial<BrowserFacts> = {}): BrowserFacts => ({
  env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
  platform: 'linux',
  isRoot: false,
  hasApt: true,
  online: false,
  exists: () => false,
  playwrightBrowser: null,
  ...over,
})

describe('planBrowser', () => {
  it('stops with the one command to run when nothing is found and it may not install', () => {
    const plan = planBrowser(bare())
    expect(plan).toMatchObject({ kind: 'stop', command: 'sudo apt-get install -y chromium' })
    if (plan.kind === 'stop') expect(plan.say).toContain('Run: sudo apt-get install -y chromium')
  })

  it('offline without apt it names Playwright’s install', () => {
    expect(planBrowser(bare({ hasApt: false, platform: 'darwin' }))).toMatchObject({
      kind: 'stop',
      command: 'npx playwright install chromium',
    })
  })

  it('installs Debian’s chromium with apt when root', () => {
    const plan = planBrowser(bare({ isRoot: true }))
    expect(plan).toMatchObject({ kind: 'install', command: 'apt-get install -y chromium' })
    if (plan.kind === 'install') expect(plan.argv.join(' ')).toContain('apt-get update')
  })

  it('downloads Playwright’s browser when online and not root', () => {
    expect(planBrowser(bare({ online: true }))).toMatchObject({
      kind: 'install',
      argv: ['npx', 'playwright', 'install', 'chromium'],
    })
  })

  it('finds a chromium on PATH, in PATH order', () => {
    const have = new Set(['/opt/b/chromium-browser', '/usr/bin/chromium'])
    const plan = planBrowser(
      bare({ env: { PATH: '/opt/a:/opt/b:/usr/bin' }, exists: (f) => have.has(f) }),
    )
    expect(plan).toEqual({ kind: 'found', path: '/opt/b/chromium-browser' })
  })

  it('uses Playwright’s installed browser when there is no system one', () => {
    expect(planBrowser(bare({ playwrightBrowser: '/root/.cache/ms-playwright/c/chrome' }))).toEqual(
      { kind: 'found', path: null },
    )
  })

  it('a CHROMIUM_PATH that does not exist stops instead of falling back silently', () => {
    const plan = planBrowser(bare({ env: { CHROMIUM_PATH: '/nope/chrome', PATH: '/usr/bin' } }))
    expect(plan.kind).toBe('stop')
    if (plan.kind === 'stop') expect(plan.say).toContain('/nope/chrome')
  })
})
