// llama.cpp through node-llama-cpp, installed on demand into its own folder: it weighs
// ~730 MB, so it is not a dependency of the app. Only the npm registry is used: install
// scripts are skipped and `build: 'never'` makes node-llama-cpp use its prebuilt CPU
// binary (@node-llama-cpp/linux-x64 etc.), never download or compile llama.cpp.

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { DecodeBudget } from './engineChild'

export const NODE_LLAMA_CPP_VERSION = '3.21.1'

/** Where the peer engines live: .tmp/peers in the repository (git-ignored), or an override. */
export function peersDir(): string {
  // npm scripts and vitest both run from the repository root.
  return resolve(process.env.GLASSBOX_PEERS_DIR ?? join(process.cwd(), '.tmp/peers'))
}

const packageJson = (dir: string) => join(dir, 'node_modules/node-llama-cpp/package.json')

function installedVersion(dir: string): string | undefined {
  const file = packageJson(dir)
  if (!existsSync(file)) return undefined
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

export type InstallResult = { ok: true; entry: string } | { ok: false; reason: string }

/** Installs node-llama-cpp@3.21.1 into peersDir() unless it is there; says why when it cannot. */
export function ensureLlamaCpp(log: (line: string) => void = console.log): InstallResult {
  const dir = peersDir()
  const entry = join(dir, 'node_modules/node-llama-cpp/dist/index.js')
  if (installedVersion(dir) === NODE_LLAMA_CPP_VERSION) return { ok: true, entry }
  mkdirSync(dir, { recursive: true })
  if (!existsSync(join(dir, 'package.json'))) {
    writeFileSync(join(dir, 'package.json'), '{ "name": "glassbox-peers", "private": true }\n')
  }
  log(`installing node-llama-cpp@${NODE_LLAMA_CPP_VERSION} into ${dir} (~730 MB, once)...`)
  const started = Date.now()
  const npm = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      dir,
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      `node-llama-cpp@${NODE_LLAMA_CPP_VERSION}`,
    ],
    {
      encoding: 'utf8',
      timeout: 15 * 60_000,
      env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true' },
    },
  )
  if (npm.status !== 0 || installedVersion(dir) !== NODE_LLAMA_CPP_VERSION) {
    const why = (npm.error?.message ?? npm.stderr ?? '').trim().split('\n').slice(-3).join(' | ')
    return {
      ok: false,
      reason: `npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION} failed: ${why}`,
    }
  }
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  return { ok: true, entry }
}

// The slice of node-llama-cpp's API we use, typed here because the package is not a
// dependency (its own .d.ts files are not visible to our tsconfig).
interface LlamaSequence {
  evaluateWithoutGeneratingNewTokens(tokens: number[]): Promise<void>
  evaluate(
    tokens: number[],
    options: { temperature: number; yieldEogToken: boolean },
  ): AsyncGenerator<number, void, void>
  clearHistory(): Promise<void>
  evaluateWithMetadata(
    tokens: number[],
    metadata: { probabilities: true },
    options: { temperature: number; topK: number; topP: number; minP: number },
  ): AsyncGenerator<{ token: number; probabilities: Map<number, number> }, void, void>
}
interface LlamaContext {
  getSequence(): LlamaSequence
  dispose(): Promise<void>
}
interface LlamaModel {
  createContext(options: {
    contextSize: number
    batchSize: number
    threads: number
    sequences: number
  }): Promise<LlamaContext>
  dispose(): Promise<void>
  tokenize(text: string, specialTokens: boolean): number[]
}
interface Llama {
  loadModel(options: { modelPath: string; gpuLayers: number }): Promise<LlamaModel>
  dispose(): Promise<void>
}
interface NodeLlamaCpp {
  getLlama(options: {
    gpu: false
    build: 'never'
    usePrebuiltBinaries: true
    skipDownload: true
    progressLogs: false
    logLevel: 'error'
    maxThreads: number
  }): Promise<Llama>
}

export interface LlamaCppSession {
  /** Feeds the prompt (one batch when it fits batchSize) without sampling. */
  prefill(tokens: number[]): Promise<void>
  /** Greedy continuation of the prompt fed so far plus `next`, `count` tokens long. */
  greedy(next: number[], count: number, budget?: DecodeBudget): Promise<number[]>
  /**
   * llama.cpp's next-token distribution (softmax of its logits, no sampler cutting it)
   * after the prompt fed so far plus `next`, as a vocabulary-sized array.
   */
  probabilities(next: number[], vocabSize: number): Promise<Float32Array>
  /** llama.cpp's tokenization of `text` (special tokens in it parsed), no BOS added. */
  tokenize(text: string): number[]
  reset(): Promise<void>
  dispose(): Promise<void>
}

export async function openLlamaCpp(
  entry: string,
  modelPath: string,
  options: { threads: number; contextSize: number; batchSize: number },
): Promise<LlamaCppSession> {
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true'
  const lib = (await import(pathToFileURL(entry).href)) as NodeLlamaCpp
  const llama = await lib.getLlama({
    gpu: false,
    build: 'never',
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    logLevel: 'error',
    maxThreads: options.threads,
  })
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 })
  const context = await model.createContext({ ...options, sequences: 1 })
  const sequence = context.getSequence()
  return {
    prefill: (tokens) => sequence.evaluateWithoutGeneratingNewTokens(tokens),
    async greedy(next, count, budget) {
      const deadline = budget ? performance.now() + budget.seconds * 1000 : Infinity
      const out: number[] = []
      // yieldEogToken: a random-weight model may pick EOS; we want exactly `count` tokens.
      for await (const token of sequence.evaluate(next, { temperature: 0, yieldEogToken: true })) {
        out.push(token)
        if (out.length >= count) break
        if (out.length >= (budget?.minTokens ?? count) && performance.now() > deadline) break
      }
      return out
    },
    async probabilities(next, vocabSize) {
      const out = new Float32Array(vocabSize)
      const options = { temperature: 1, topK: 0, topP: 1, minP: 0 }
      for await (const step of sequence.evaluateWithMetadata(
        next,
        { probabilities: true },
        options,
      )) {
        for (const [token, p] of step.probabilities) out[token] = p
        break
      }
      return out
    },
    tokenize: (text) => [...model.tokenize(text, true)],
    reset: () => sequence.clearHistory(),
    async dispose() {
      await context.dispose()
      await model.dispose()
      await llama.dispose()
    },
  }
}
