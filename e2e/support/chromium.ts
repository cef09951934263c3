// Debian's chromium, never a downloaded browser (see README: offline machines), with the
// flags these machines need: no sandbox, no GPU (SwiftShader draws WebGL), and nothing
// working in the background. Used by the e2e config and by the benchmarks that drive a page.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
