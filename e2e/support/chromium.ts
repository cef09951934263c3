// The Chromium the e2e tests and the page benchmarks drive: CHROMIUM_PATH, else a system
// Chromium on PATH (Debian's /usr/bin/chromium on these machines), else Playwright's own
// (undefined: Playwright picks it). `npm test` finds or installs one first
// (main/bin/findBrowser.cjs). Flags these machines need: no sandbox, no GPU (SwiftShader draws
// WebGL), and nothing working in the background.
import { statSync } from 'node:fs'
import { systemBrowser } from '../../main/bin/findBrowser.cjs'

const isFile = (f: string): boolean => {
  try {
    return statSync(f).isFile()
  } catch {
    return false
  }
}

export const chromiumPath: string | undefined =
  process.env.CHROMIUM_PATH ?? systemBrowser(process.env, process.platform, isFile) ?? undefined

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
