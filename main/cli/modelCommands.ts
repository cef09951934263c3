// glassbox logits | generate | info | fixture: the model engine from the command line.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadModel, writeFixtureModel } from '../../native-models/io'
import { Generator } from '../services/engine/generator'
import { topEntries } from '../services/engine/logitScan'
import { toChatModel } from '../services/engine/modelAdapter'
import { baseSampling, samplingFromGenerationConfig } from '../services/chat/settings'
import { readProfile } from '../../native-models/io/profile'
import { ORT_PROVIDER_NAME, placementFromProfile } from '../../native-models/runtime/ortProfile'
import { FIXTURE_ARCHS } from '../../native-models/runtime/types'
import type {
  ExecutionProviderSetting,
  FixtureArch,
  FixtureOptions,
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
  usage: `glassbox generate --model DIR|FILE.gguf --prompt T [--max-tokens N --temperature X --top-k K --top-p P --repetition-penalty R --seed S --greedy --chat]\n${loadUsage}`,
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
          'repetition-penalty': { type: 'string' },
          seed: { type: 'string' },
          greedy: { type: 'boolean' },
          chat: { type: 'boolean' },
        },
      })
      const model = await loadModel(need(values.model, '--model'), loadOptions(values))
      try {
        const prompt = need(values.prompt, '--prompt')
        const num = (s: string | undefined) => (s !== undefined ? Number(s) : undefined)
        const given = {
          temperature: num(values.temperature),
          topK: num(values['top-k']),
          topP: num(values['top-p']),
          repetitionPenalty: num(values['repetition-penalty']),
          seed: num(values.seed),
          maxTokens: num(values['max-tokens']),
          ...(values.greedy ? { greedy: true } : {}),
        }
        // The chat's defaults and its reading of generation_config.json, then the flags.
        const sampling = {
          ...baseSampling,
          ...samplingFromGenerationConfig(model.info.generationConfig),
          ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
        }
        const generator = new Generator(toChatModel(need(values.model, '--model'), model))
        const result = await generator.generate(
          {
            cacheKey: 'cli',
            mode: values.chat ? 'chat' : 'completion',
            systemPrompt: '',
            turns: [{ role: 'user', content: prompt }],
            params: sampling,
          },
          (token) => process.stdout.write(token.text),
        )
        const { completionTokens, totalMs } = result.stats
        process.stdout.write('\n')
        process.stderr.write(
          `${completionTokens} tokens in ${(totalMs / 1000).toFixed(2)} s (${((completionTokens * 1000) / totalMs).toFixed(1)} tokens/s)\n`,
        )
        await generator.dispose()
        return 0
      } finally {
        await model.dispose()
      }
    }),
}

/**
 * Runs a short prompt with onnxruntime's profiler on and prints where each op type ran and
 * what share of the matrix products' work stayed on the chosen provider.
 */
async function placementReport(
  dir: string,
  values: Parameters<typeof loadOptions>[0] & { json?: boolean },
): Promise<number> {
  const tmp = mkdtempSync(join(tmpdir(), 'glassbox-placement-'))
  try {
    const prefix = join(tmp, 'profile')
    const model = await loadModel(dir, { ...loadOptions(values), profilePrefix: prefix })
    const provider = model.info.executionProvider
    try {
      const session = model.newSession()
      const logits = await session.prefill(model.tokenizer.encode('In the beginning was the word'))
      await session.decode(topEntries(logits, 1)[0])
      await session.dispose()
    } finally {
      await model.dispose()
    }
    const report = placementFromProfile(
      readProfile(prefix),
      ORT_PROVIDER_NAME[provider] ?? provider,
    )
    if (values.json) {
      process.stdout.write(JSON.stringify({ provider, ...report }, null, 2) + '\n')
      return 0
    }
    const lines = [
      `provider       ${provider}${model.info.providerNote ? ` (${model.info.providerNote})` : ''}`,
      `matmul work    ${(report.matmulShare * 100).toFixed(1)} % on ${provider} (bytes the products read)`,
      'op type                              nodes per provider',
      ...report.ops.map(
        (o) =>
          `  ${o.opType.padEnd(35)}${Object.entries(o.nodes)
            .map(([p, n]) => `${p.replace('ExecutionProvider', '')} ${n}`)
            .join(', ')}`,
      ),
    ]
    const off = report.products.filter((p) => p.provider !== ORT_PROVIDER_NAME[provider])
    if (provider !== 'cpu' && off.length) {
      lines.push(
        'products not on the provider (no kernel for them there, or onnxruntime keeps shape work on the CPU):',
      )
      lines.push(...off.map((p) => `  ${p.name} (${p.opType}, ${p.bytes} bytes)`))
    }
    process.stdout.write(lines.join('\n') + '\n')
    return 0
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

const info: CliCommand = {
  summary: 'print a model folder’s architecture, size, context length and execution provider',
  usage: `glassbox info --model DIR|FILE.gguf [--json] [--placement]\n${loadUsage}`,
  run: (argv) =>
    guarded(async () => {
      const { values } = parseArgs({
        args: argv,
        options: { ...loadFlags, json: { type: 'boolean' }, placement: { type: 'boolean' } },
      })
      if (values.placement) return placementReport(need(values.model, '--model'), values)
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
          `provider       ${i.executionProvider}${i.providerNote ? ` (${i.providerNote})` : ''}`,
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
    'glassbox fixture --arch llama|gpt2|qwen2|mistral|qwen3|gemma3|smollm3|phi3 --out DIR [--preset tiny|smollm2-135m|gpt2-small|qwen2.5-0.5b --kv-heads N --untied --seed S --tokenizer bytelevel|llama3|qwen3|gemma3 --dtype float32|float16|bfloat16 --shards N]',
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
      if (!(FIXTURE_ARCHS as readonly string[]).includes(arch))
        throw new Error(`--arch must be one of ${FIXTURE_ARCHS.join(', ')}, not ${arch}`)
      const out = need(values.out, '--out')
      await writeFixtureModel(out, {
        arch,
        preset: values.preset as FixturePreset | undefined,
        numKvHeads: values['kv-heads'] ? Number(values['kv-heads']) : undefined,
        tiedEmbeddings: values.untied ? false : undefined,
        seed: values.seed ? Number(values.seed) : undefined,
        tokenizer: values.tokenizer as FixtureOptions['tokenizer'],
        dtype: values.dtype as 'float32' | 'float16' | 'bfloat16' | undefined,
        shards: values.shards ? Number(values.shards) : undefined,
      })
      process.stdout.write(`wrote a ${values.preset ?? 'tiny'} ${arch} model to ${out}\n`)
      return 0
    }),
}

export const modelCommands: Record<string, CliCommand> = { logits, generate, info, fixture }
