import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { createRequire } from 'node:module'

// electron-vite reads Electron's version from node_modules/electron to pick its build
// targets. Where Electron could not be installed (offline, CI) it would stop there, so it is
// told the major version we depend on; an installed Electron always wins.
try {
  createRequire(__filename).resolve('electron/package.json')
} catch {
  process.env.ELECTRON_MAJOR_VER ??= '45'
}

// One build for both modes: out/main holds the Electron entry and the plain-Node entries
// (browser-mode host, CLI, compute child, the training data worker); out/renderer is served by
// either. The `glassbox` bin runs out/main/cli.js, so an installed copy needs no tsx.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/electron/index.ts'),
          serve: resolve(__dirname, 'main/host/serve.ts'),
          compute: resolve(__dirname, 'main/compute/child.ts'),
          trainingChild: resolve(__dirname, 'main/compute/trainingChild.ts'),
          cli: resolve(__dirname, 'main/cli.ts'),
          dataWorker: resolve(__dirname, 'main/services/training/dataWorker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
})
