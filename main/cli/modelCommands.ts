// glassbox logits | generate | info | fixture: the model engine from the command line.
import { parseArgs } from 'node:util'
import { loadModel, writeFixtureModel } from '../../native-models/io'
import { Sampler } from '../../native-models/runtime/sampler'
import type {
  ExecutionProviderSetting,
  FixtureArch,
  FixturePreset,
  LoadModelOptions,
  Quantization,
} from '../../native-models/runtime/types'
import type { CliCommand } from './command'

const loadFlags = {
  model: { type: 'string' },
  quantization: { type: 'string' },
  provider: { type: 'string' },
  'cache-dir': { type: 'string' },
  threads: { type: 'string' },
} as const

function loadOptions(v: {
  quantization?: string
  provider?: string
  'cache-dir'?: string
  threads?: string
}): LoadModelOptions {
  return {
    quantization: (v.quantization ?? 'none') as Quantization,
    executionProvider: (v.provider ?? 'auto') as ExecutionProviderSetting,
    cacheDir: v['cache-dir'],
    threads: v.threads ? Number(v.threads) : undefined,
  }
}

const loadUsage =
  '  --quantization none|int8|int4  --provider auto|cpu|cuda|dml|coreml|webgpu  --cache-dir DIR  --threads N'

/** Runs a command body; a thrown error becomes one line on stderr and exit code 1. */
async function guarded(body: () => Promise<number>): Promise<number> {
  try {
    return await body()
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`)
    return 1
  }
}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new Error(`${flag} is required`)
  return value
}

const logits: CliCommand = {
  summary: 'print the next-token logits of a text or of token ids as JSON',
  usage: `glassbox logits --model DIR|FILE.gguf (--text T | --ids 1,2,3) [--all-positions]\n${loadUsage}`,
  run: (argv) =>
    guarded(async () => {
      const { values } = parseArgs({
        args: argv,
        options: {
          ...loadFlags,
          text: { type: 'string' },
          ids: { type: 'string' },
          'all-positions': { type: 'boolean' },
        },
      })
      const model = await loadModel(need(values.model, '--model'), loadOptions(values))
      try {
        const ids = values.ids
          ? values.ids.split(',').map((s) => Number(s.trim()))
          : model.tokenizer.encode(need(values.text, '--text or --ids'))
        if (ids.some((i) => !Number.isInteger(i) || i < 0 || i >= model.info.vocabSize))
          throw new Error(`--ids must be integers in [0, ${model.info.vocabSize})`)
        const all = await model.logits(ids)
        const rows = values['all-positions'] ? all : [all[all.length - 1]]
        process.stdout.write(
          JSON.stringify({
            ids,
            positions: values['all-positions'] ? ids.map((_, i) => i) : [ids.length - 1],
            logits: rows.map((r) => Array.from(r)),
          }) + '\n',
        )
        return 0
      } finally {
        await model.dispose()
      }
    }),
}

const generate: CliCommand = {
  summary: 'continue a prompt, streaming the text',
  usage: `glassbox generate --model DIR|FILE.gguf --prompt T [--max-tokens N --temperature X --top-k K --top-p P --seed S --greedy --chat]\n${loadUsage}`,
  run: (argv) =>
    guarded(async () => {
      const { values } = parseArgs({
        args: argv,
        options: {
          ...loadFlags,
          prompt: { type: 'string' },
          'max-tokens': { type: 'string' },
          temperature: { type: 'string' },
          'top-k': { type: 'string' },
          'top-p': { type: 'string' },
          seed: { type: 'string' },
          greedy: { type: 'boolean' },
          chat: { type: 'boolean' },
        },
      })
      const model = await loadModel(need(values.model, '--model'), loadOptions(values))
      try {
        const prompt = need(values.prompt, '--prompt')
        const d = model.info.generationDefaults
        const num = (s: string | undefined, fallback?: number) =>
          s !== undefined ? Number(s) : fallback
        const sampler = new Sampler({
          greedy: values.greedy,
          temperature: num(values.temperature, d.temperature ?? 1),
          topK: num(values['top-k'], d.topK),
          topP: num(values['top-p'], d.topP),
          seed: num(values.seed),
          repetitionPenalty: d.repetitionPenalty,
        })
        const ids = values.chat
          ? model.tokenizer.encode(
              model.renderChat([{ role: 'user', content: prompt }], { addGenerationPrompt: true }),
              { addSpecialTokens: false },
            )
          : model.tokenizer.encode(prompt)
        const max = num(values['max-tokens'], d.maxNewTokens ?? 64)!
        const session = model.newSession()
        const started = performance.now()
        let next = sampler.sample(await session.prefill(ids), ids)
        const out: number[] = []
        let printed = ''
        const eos = new Set(model.info.eosTokenIds)
        while (out.length < max && !eos.has(next) && session.length < model.info.contextLength) {
          out.push(next)
          // Decode the whole continuation and print what is new, so multi-byte characters split
          // across tokens come out whole.
          const text = model.tokenizer.decode(out, { skipSpecialTokens: true })
          if (!text.endsWith('\uFFFD')) {
            process.stdout.write(text.slice(printed.length))
            printed = text
          }
          next = sampler.sample(await session.decode(next), [...ids, ...out])
        }
        const seconds = (performance.now() - started) / 1000
        process.stdout.write('\n')
        process.stderr.write(
          `${out.length} tokens in ${seconds.toFixed(2)} s (${(out.length / seconds).toFixed(1)} tokens/s)\n`,
        )
        await session.dispose()
        return 0
      } finally {
        await model.dispose()
      }
    }),
}

const info: CliCommand = {
  summary: 'print a model folder’s architecture, size, context length and execution provider',
  usage: `glassbox info --model DIR|FILE.gguf [--json]\n${loadUsage}`,
  run: (argv) =>
    guarded(async () => {
      const { values } = parseArgs({
        args: argv,
        options: { ...loadFlags, json: { type: 'boolean' } },
      })
      const model = await loadModel(need(values.model, '--model'), loadOptions(values))
      try {
        const i = model.info
        if (values.json) {
          process.stdout.write(JSON.stringify(i, null, 2) + '\n')
          return 0
        }
        const lines = [
          `model          ${i.name} (${i.dir})`,
          `architecture   ${i.architecture} (model_type ${i.modelType})`,
          `parameters     ${(i.parameterCount / 1e6).toFixed(2)} M`,
          `dtype          ${i.dtype}, quantization ${i.quantization}`,
          `shape          ${i.numLayers} layers, hidden ${i.hiddenSize}, ${i.numHeads} heads, ${i.numKvHeads} KV heads, vocab ${i.vocabSize}`,
          `context        ${i.contextLength} tokens`,
          `chat template  ${i.hasChatTemplate ? 'yes' : 'no (plain fallback)'}`,
          `provider       ${i.executionProvider}`,
          ...i.fallbacks.map((f) => `  fallback     ${f.provider}: ${f.reason}`),
        ]
        if (i.ggufTensors) {
          const paths = new Map<string, number>()
          for (const t of i.ggufTensors) {
            const k = `${t.type} → ${t.path === 'blocks' ? 'MatMulNBits blocks' : 'f32'}`
            paths.set(k, (paths.get(k) ?? 0) + 1)
          }
          const summary = [...paths].map(([k, n]) => `${n} ${k}`).join(', ')
          lines.push(`gguf tensors   ${summary}`)
        }
        const q = i.quantizationReport
        if (q)
          lines.push(
            `quantization   max |Δlogit| ${q.maxLogitDiff.toFixed(4)}, perplexity ${q.perplexityF32.toFixed(3)} → ${q.perplexityQuantized.toFixed(3)} (${q.probeTokens} probe tokens)`,
          )
        process.stdout.write(lines.join('\n') + '\n')
        return 0
      } finally {
        await model.dispose()
      }
    }),
}

const fixture: CliCommand = {
  summary: 'write a random-weight model folder (tests, benchmarks, demos)',
  usage:
    'glassbox fixture --arch llama|gpt2|qwen2 --out DIR [--preset tiny|smollm2-135m|gpt2-small --kv-heads N --untied --seed S --tokenizer bytelevel|llama3|qwen3 --dtype float32|float16|bfloat16 --shards N]',
  run: (argv) =>
    guarded(async () => {
      const { values } = parseArgs({
        args: argv,
        options: {
          arch: { type: 'string' },
          out: { type: 'string' },
          preset: { type: 'string' },
          'kv-heads': { type: 'string' },
          untied: { type: 'boolean' },
          seed: { type: 'string' },
          tokenizer: { type: 'string' },
          dtype: { type: 'string' },
          shards: { type: 'string' },
        },
      })
      const arch = need(values.arch, '--arch') as FixtureArch
      if (!['llama', 'gpt2', 'qwen2'].includes(arch))
        throw new Error(`--arch must be llama, gpt2 or qwen2, not ${arch}`)
      const out = need(values.out, '--out')
      await writeFixtureModel(out, {
        arch,
        preset: values.preset as FixturePreset | undefined,
        numKvHeads: values['kv-heads'] ? Number(values['kv-heads']) : undefined,
        tiedEmbeddings: values.untied ? false : undefined,
        seed: values.seed ? Number(values.seed) : undefined,
        tokenizer: values.tokenizer as 'bytelevel' | 'llama3' | 'qwen3' | undefined,
        dtype: values.dtype as 'float32' | 'float16' | 'bfloat16' | undefined,
        shards: values.shards ? Number(values.shards) : undefined,
      })
      process.stdout.write(`wrote a ${values.preset ?? 'tiny'} ${arch} model to ${out}\n`)
      return 0
    }),
}

export const modelCommands: Record<string, CliCommand> = { logits, generate, info, fixture }
