// One engine, one model, one process: so peak RSS is that engine's alone and a native
// crash takes down only this measurement. Run as
//   node --import tsx bench/peers/engineChild.ts '<EngineRequest JSON>'   (or '-' and the JSON on stdin)
// and prints `RESULT <EngineResult JSON>` on its last line.

import { readFileSync } from 'node:fs'
import { openLlamaCpp } from './llamaCpp'
import { peakRssMiB } from './peakRss'

/** Stop a greedy run early once `seconds` have passed and at least `minTokens` are out. */
export interface DecodeBudget {
  seconds: number
  minTokens: number
}

export interface EngineSession {
  prefill(tokens: number[]): Promise<void>
  greedy(next: number[], count: number, budget?: DecodeBudget): Promise<number[]>
  reset(): Promise<void>
  dispose(): Promise<void>
}

export interface EngineRequest {
  engine: 'glassbox' | 'llama.cpp'
  /** A GGUF file for llama.cpp, a model folder for Glassbox. */
  model: string
  /** Glassbox weight format: f32, int8 or int4 (llama.cpp's is inside the GGUF). */
  quant: string
  threads: number
  /** node-llama-cpp's entry module. */
  llamaCppEntry?: string
  parityPrompt: number[]
  parityCount: number
  prefillTokens: number[]
  decodeCount: number
  /**
   * The timed decode stops after this many seconds (and at least 16 tokens): a rate is
   * steady after a few tokens, and a row decoding at 0.7 tok/s would otherwise spend three
   * minutes to say so. 0: always decodeCount tokens.
   */
  decodeBudgetSeconds: number
  /** Only load (and let Glassbox build its graph cache), so the timed run loads warm. */
  loadOnly?: boolean
  /**
   * The long-context rows instead of the short ones: time to first token for `ttftPrompt`,
   * then `prompt` prefilled and `decodeCount` tokens decoded after it.
   */
  long?: { ttftPrompt: number[]; prompt: number[]; decodeCount: number }
}

export interface EngineResult {
  loadSeconds: number
  prefillTokensPerSecond: number
  decodeTokensPerSecond: number
  /** Tokens the timed decode produced: decodeCount unless the budget ran out first. */
  decodedTokens: number
  parityTokens: number[]
  peakRssMiB: number
  /** Long-context rows only: prompt in to first token out, and the rates after `long.prompt`. */
  ttftSeconds?: number
  longPrefillTokensPerSecond?: number
  longDecodeTokensPerSecond?: number
}

async function open(request: EngineRequest): Promise<EngineSession> {
  const long = request.long
  const contextSize =
    Math.max(
      request.prefillTokens.length,
      request.decodeCount + 8,
      long ? long.prompt.length + long.decodeCount + 8 : 0,
    ) + 64
  if (request.engine === 'llama.cpp') {
    return openLlamaCpp(request.llamaCppEntry!, request.model, {
      threads: request.threads,
      contextSize,
      // Long prompts go in llama.cpp's default batches of 512 (Glassbox's chunks are 256):
      // one batch of 4,096 would size its compute buffers for 4,096 rows.
      batchSize: long ? 512 : request.prefillTokens.length,
    })
  }
  const { openGlassbox } = await import('./glassboxEngine')
  return openGlassbox(request.model, {
    threads: request.threads,
    quant: request.quant,
    contextSize,
  })
}

async function measure(request: EngineRequest): Promise<EngineResult> {
  let t = performance.now()
  const session = await open(request)
  const loadSeconds = (performance.now() - t) / 1000
  if (request.loadOnly) {
    await session.dispose()
    return {
      loadSeconds,
      prefillTokensPerSecond: NaN,
      decodeTokensPerSecond: NaN,
      decodedTokens: 0,
      parityTokens: [],
      peakRssMiB: peakRssMiB(),
    }
  }

  // The parity run doubles as warm-up: first-call allocations stay out of the timings.
  const prompt = request.parityPrompt
  await session.prefill(prompt.slice(0, -1))
  const parityTokens = await session.greedy(prompt.slice(-1), request.parityCount)

  if (request.long)
    return { loadSeconds, parityTokens, ...(await measureLong(session, request.long)) }

  await session.reset()
  t = performance.now()
  await session.prefill(request.prefillTokens)
  const prefillTokensPerSecond = request.prefillTokens.length / ((performance.now() - t) / 1000)

  // Decode as llama-bench's tg128 does: from a near-empty context, one token at a time.
  await session.reset()
  await session.prefill(prompt.slice(0, 1))
  t = performance.now()
  const budget = request.decodeBudgetSeconds
    ? { seconds: request.decodeBudgetSeconds, minTokens: 16 }
    : undefined
  const decoded = await session.greedy(prompt.slice(1, 2), request.decodeCount, budget)
  const decodeTokensPerSecond = decoded.length / ((performance.now() - t) / 1000)

  await session.dispose()
  return {
    loadSeconds,
    prefillTokensPerSecond,
    decodeTokensPerSecond,
    decodedTokens: decoded.length,
    parityTokens,
    peakRssMiB: peakRssMiB(),
  }
}

/** Time to first token of a fresh prompt, then prefill and decode rates after a long one. */
async function measureLong(
  session: EngineSession,
  long: NonNullable<EngineRequest['long']>,
): Promise<Omit<EngineResult, 'loadSeconds' | 'parityTokens'>> {
  await session.reset()
  let t = performance.now()
  await session.greedy(long.ttftPrompt, 1)
  const ttftSeconds = (performance.now() - t) / 1000

  await session.reset()
  t = performance.now()
  await session.prefill(long.prompt.slice(0, -1))
  const longPrefillTokensPerSecond = (long.prompt.length - 1) / ((performance.now() - t) / 1000)
  t = performance.now()
  const decoded = await session.greedy(long.prompt.slice(-1), long.decodeCount)
  const longDecodeTokensPerSecond = decoded.length / ((performance.now() - t) / 1000)
  await session.dispose()
  return {
    prefillTokensPerSecond: NaN,
    decodeTokensPerSecond: NaN,
    decodedTokens: decoded.length,
    peakRssMiB: peakRssMiB(),
    ttftSeconds,
    longPrefillTokensPerSecond,
    longDecodeTokensPerSecond,
  }
}

if (process.argv[2]) {
  // '-': the request comes on stdin (a 4,096-token prompt as an argument crashed node here).
  const json = process.argv[2] === '-' ? readFileSync(0, 'utf8') : process.argv[2]
  measure(JSON.parse(json) as EngineRequest).then(
    (result) => console.log(`RESULT ${JSON.stringify(result)}`),
    (error: Error) => {
      console.error(error.stack ?? error.message)
      process.exit(1)
    },
  )
}
