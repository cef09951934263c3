// loadModel: a Hugging Face folder → a LoadedModel on onnxruntime-node.
import { basename } from 'node:path'
import {
  IO,
  buildInferenceGraph,
  gpt2Prefix,
  parameterCount,
  type GraphQuantization,
  type KvCacheType,
} from '../arch'
import type { IntegerGemm } from '../arch/int8Gemm'
import type { OrtSession } from '../onnx/session'
import { createSessionFromFile } from '../onnx/session'
import { integerGemm } from '../runtime/integerGemm'
import { OrtModel, type HeadWeights } from '../runtime/model'
import { createWithProvider, softwareVulkanDriver } from '../runtime/providers'
import { providerLibraryInstalled } from './providerLibraries'
import { quantizationReport } from '../runtime/quantReport'
import type { LoadModelOptions, LoadedModel, ModelInfo, QuantizationReport } from '../runtime/types'
import { ChatRenderer, HfTextTokenizer } from '../tokenizer/textTokenizer'
import { EmbeddingRows, withEmbeddingRows } from './embeddingRows'
import { GraphCache, cacheKey, defaultGraphCacheDir } from './graphCache'
import { readModelFolder, type ModelFolder } from './modelFolder'

function graphKey(
  folder: ModelFolder,
  quantization: GraphQuantization,
  accuracyLevel: number,
  kvCache: KvCacheType = 'float32',
  gemm: IntegerGemm = 'u8s8',
): string {
  const w = folder.weights
  return cacheKey([
    ...w.fingerprintParts(),
    ...w.samples(),
    JSON.stringify(folder.configJson),
    `quantization=${quantization}`,
    `accuracy=${accuracyLevel}`,
    // Files with MatMulNBits-ready blocks (GGUF) build a different f32 graph (the later
    // tags: 8-bit blocks at accuracy level 4; every ggml block type as blocks).
    ...(w.blocks ? ['stored-blocks', 'stored-q8-level4', 'stored-all-ggml-types'] : []),
    // Only when not the default, so float32-cache graphs keep their keys.
    ...(kvCache === 'float32' ? [] : [`kv-cache=${kvCache}`]),
    ...(gemm === 'u8s8' ? [] : [`integer-gemm=${gemm}`]),
  ])
}

function headWeights(folder: ModelFolder): HeadWeights {
  const { cfg, weights: w } = folder
  if (cfg.family === 'gpt2') {
    const p = gpt2Prefix((n) => w.has(n))
    return {
      norm: 'layer',
      normWeight: w.f32(`${p}ln_f.weight`),
      normBias: w.f32(`${p}ln_f.bias`),
      eps: cfg.normEps,
      head: w.f32(`${p}wte.weight`),
    }
  }
  const untied = !cfg.tiedEmbeddings && w.has('lm_head.weight')
  const norm = w.f32('model.norm.weight')
  return {
    norm: 'rms',
    // Gemma's RMSNorm scales by 1 + weight.
    normWeight: cfg.normPlusOne ? norm.map((v) => 1 + v) : norm,
    softcap: cfg.finalSoftcap ?? undefined,
    eps: cfg.normEps,
    head: w.f32(untied ? 'lm_head.weight' : 'model.embed_tokens.weight'),
  }
}

function embeddingName(folder: ModelFolder): string {
  const w = folder.weights
  return folder.cfg.family === 'gpt2'
    ? `${gpt2Prefix((n) => w.has(n))}wte.weight`
    : 'model.embed_tokens.weight'
}

function embedding(folder: ModelFolder): Float32Array {
  return folder.weights.f32(embeddingName(folder))
}

/** A plain graph that takes embeddings (GraphOptions.embedsIn) as one taking ids. */
function idsIn(session: OrtSession, cache: GraphCache, key: string, folder: ModelFolder) {
  if (!session.inputNames.includes(IO.embeds)) return session
  const at = cache.tensorFile(key, embeddingName(folder), () => embedding(folder))
  const { vocabSize, hiddenSize } = folder.cfg
  return withEmbeddingRows(session, new EmbeddingRows(at.file, at.offset, vocabSize, hiddenSize))
}

function eosIds(folder: ModelFolder): number[] {
  const g = folder.generationConfig.eos_token_id
  const fromGen = typeof g === 'number' ? [g] : Array.isArray(g) ? (g as number[]) : []
  return [...new Set([...folder.cfg.eosTokenIds, ...fromGen])]
}

export async function loadModel(dir: string, opts: LoadModelOptions = {}): Promise<LoadedModel> {
  const folder = readModelFolder(dir)
  const { cfg } = folder
  const quantization = opts.quantization ?? 'none'
  // accuracy_level 4 (int8 activations) is the fast MatMulNBits kernel: with 0, 8-bit
  // weights take a slow path (10-40x slower per token) and 4-bit gains little over f32. The
  // app never asks for 0 (Q8_0 files run at 4 too: arch/graphOptions.ts, storedBlocks); callers
  // may, to compare with a provider that has no int8 path.
  const accuracyLevel = quantization === 'none' ? 0 : (opts.accuracyLevel ?? 4)
  // Never in the model's folder: it may be read-only. The key is the weights' fingerprint
  // (header digest, size, sampled bytes) and the build options, so one folder serves all models.
  const cache = new GraphCache(opts.cacheDir ?? defaultGraphCacheDir())
  // Quantized weights already move the logits far more than rounding the cached K/V to f16
  // does (llama.cpp's default cache too), and the cache is half the size; float32 weights
  // keep the float32 cache, whose logits equal the reference (README, Performance). GPU
  // providers keep float32 too unless asked: WebGPU devices without shader-f16 (SwiftShader's
  // among them) cannot run the f16 cache's Casts.
  const kvCache = opts.kvCache ?? (quantization === 'none' ? 'float32' : 'float16')
  const gpuKvCache = opts.kvCache ?? 'float32'
  // Only the int8 variant at level 4 runs the integer GEMM whose range depends on the CPU.
  const gemm = quantization === 'int8' && accuracyLevel === 4 ? await integerGemm() : 'u8s8'
  const key = graphKey(folder, quantization, accuracyLevel, kvCache, gemm)
  const graphOpts = {
    quantization,
    accuracyLevel,
    integerGemm: gemm,
    fused: true,
    storedBlocks: true,
    embedsIn: true,
    kvCache,
  }
  const plain = cache.ensureEntry(
    key,
    'plain',
    () => buildInferenceGraph(cfg, folder.weights, graphOpts).b,
  )
  // Which tensors the decode graph took as stored blocks: known when it is built, kept beside it.
  let ggufTensors = folder.weights.report?.()
  if (ggufTensors) {
    if (plain.fromCache) ggufTensors = cache.readJson(key, 'gguf-tensors.json') ?? ggufTensors
    else cache.writeJson(key, 'gguf-tensors.json', ggufTensors)
  }
  // GPU providers get the graph form they run whole (arch/graphOptions.ts, gpu).
  const pathFor = (provider: string) =>
    provider === 'cpu'
      ? plain.path
      : cache.ensureVariant(
          key,
          'plain-gpu',
          () =>
            buildInferenceGraph(cfg, folder.weights, {
              ...graphOpts,
              gpu: true,
              kvCache: gpuKvCache,
            }).b,
        ).path
  const choice = await createWithProvider(
    pathFor,
    opts.executionProvider ?? 'auto',
    opts.threads,
    providerLibraryInstalled,
    { softwareVulkan: softwareVulkanDriver(process.env) },
    { profilePrefix: opts.profilePrefix },
  )
  const tokenizer = new HfTextTokenizer(folder.tokenizerJson, folder.tokenizerConfig)
  const chat = new ChatRenderer(folder.tokenizerConfig)

  const plainSession = idsIn(choice.session, cache, key, folder)
  const cacheType = choice.provider === 'cpu' ? kvCache : gpuKvCache
  let report: QuantizationReport | undefined
  if (quantization !== 'none') {
    report = cache.readJson<QuantizationReport>(key, 'quantization.json')
    if (!report) {
      const f32Key = graphKey(folder, 'none', 0)
      const f32 = cache.ensureEntry(
        f32Key,
        'plain',
        // The model as stored (a GGUF's own blocks), the graph quantization=none loads.
        () =>
          buildInferenceGraph(cfg, folder.weights, {
            fused: true,
            storedBlocks: true,
            embedsIn: true,
          }).b,
      )
      const f32Session = idsIn(
        await createSessionFromFile(f32.path, { threads: opts.threads }),
        cache,
        f32Key,
        folder,
      )
      try {
        report = await quantizationReport(cfg, tokenizer, f32Session, plainSession, true, cacheType)
      } finally {
        await f32Session.release()
      }
      cache.writeJson(key, 'quantization.json', report)
    }
  }

  let insides: Promise<OrtSession> | null = null
  const sessions: OrtSession[] = [plainSession]
  const info: ModelInfo = {
    dir,
    name: basename(dir),
    modelType: cfg.modelType,
    architecture: cfg.architecture,
    parameterCount: parameterCount(cfg),
    dtype: cfg.torchDtype,
    quantization,
    contextLength: cfg.contextLength,
    vocabSize: cfg.vocabSize,
    numLayers: cfg.numLayers,
    numHeads: cfg.numHeads,
    numKvHeads: cfg.numKvHeads,
    hiddenSize: cfg.hiddenSize,
    executionProvider: choice.provider,
    fallbacks: choice.fallbacks,
    providerNote: choice.note,
    hasChatTemplate: chat.hasTemplate,
    chatTemplateProblem: chat.templateProblem,
    eosTokenIds: eosIds(folder),
    bosTokenId: cfg.bosTokenId,
    generationConfig: folder.generationConfig,
    quantizationReport: report,
    fromCache: plain.fromCache,
    ggufTensors,
  }
  return new OrtModel({
    info,
    cfg,
    tokenizer,
    chat,
    plain: plainSession,
    fused: true,
    kvCache: cacheType,
    prefillChunk: opts.prefillChunk,
    insidesSession: () => {
      insides ??= (async () => {
        const v = cache.ensureVariant(
          key,
          'insides',
          () => buildInferenceGraph(cfg, folder.weights, { ...graphOpts, insides: true }).b,
        )
        const s = idsIn(
          await createSessionFromFile(v.path, {
            executionProviders: [choice.provider],
            threads: opts.threads,
          }),
          cache,
          key,
          folder,
        )
        sessions.push(s)
        return s
      })()
      return insides
    },
    embedding: () => embedding(folder),
    headWeights: () => headWeights(folder),
    onDispose: async () => {
      if (opts.profilePrefix) choice.session.endProfiling()
      for (const s of sessions) await s.release()
    },
  })
}
