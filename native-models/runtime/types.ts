/**
 * The runtime API that chat, space and training code against.
 *
 * Entry points (Node only, they read files): `loadModel` and `writeFixtureModel` from
 * native-models/io/. Everything here is plain TypeScript.
 *
 * Conventions and refinements of the agreed shape:
 * - `DecodeSession.prefill(ids)` appends `ids` after what the session already holds (so a
 *   chat can prefill a new user turn after `truncate`); it returns the last position's
 *   logits. `decode(id)` appends one token. `length` counts cached positions.
 * - `Insides.attentions[layer]` is heads × q × k row-major with q = k = ids.length;
 *   `Insides.hidden` has numLayers + 1 entries, [0] the embeddings (GPT-2: token +
 *   position), [L] the last layer's output before the final norm.
 * - `LoadedModel.logits(ids)` returns one vocab-sized Float32Array per position.
 * - `ModelInfo.quantizationReport` (added): max |Δlogit| and the perplexity change against
 *   f32 on a fixed probe text, measured at load when quantization is not 'none'.
 * - Decode speed: the plain graph only reads the KV cache (rows of [KV, d] per token, passed
 *   as views of growing buffers) and returns the new rows, which the runtime appends, so no
 *   step copies the cache; the insides graph is a separate variant with explicit attention,
 *   built on first use.
 * - `LoadedModel.finalNormAndHead(hidden)` takes one position's hidden vector (hiddenSize)
 *   or several (n × hiddenSize) and returns n × vocab logits.
 */

import type { HeadWeights } from './model'
import type { KvCacheType } from '../arch'

export type Quantization = 'none' | 'int8' | 'int4'
export type ExecutionProviderSetting = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu'

export interface QuantizationReport {
  /** Largest |logit(quantized) − logit(f32)| over the probe text's positions. */
  maxLogitDiff: number
  perplexityF32: number
  perplexityQuantized: number
  probeTokens: number
}

export interface ModelInfo {
  dir: string
  name: string
  modelType: string
  architecture: string
  parameterCount: number
  dtype: string
  quantization: Quantization
  contextLength: number
  vocabSize: number
  numLayers: number
  numHeads: number
  numKvHeads: number
  hiddenSize: number
  executionProvider: string
  fallbacks: { provider: string; reason: string }[]
  /** Said of the provider in use (e.g. "software adapter (SwiftShader on Vulkan)"). */
  providerNote: string | null
  hasChatTemplate: boolean
  /** Why the folder's chat template was set aside (completion mode instead), or null. */
  chatTemplateProblem: string | null
  eosTokenIds: number[]
  bosTokenId?: number
  /** generation_config.json as the folder has it; main/services/chat/settings.ts reads it. */
  generationConfig: Record<string, unknown>
  quantizationReport?: QuantizationReport
  /** Whether the graphs came from the on-disk cache. */
  fromCache?: boolean
  /** A GGUF file's tensors: their stored type and how each reached the decode graph. */
  ggufTensors?: GgufTensorPath[]
}

export interface GgufTensorPath {
  gguf: string
  hf: string
  /** ggml type name as stored: Q4_K, Q8_0, F16 ... */
  type: string
  /**
   * 'blocks': the file's blocks repacked for MatMulNBits, values unchanged (every
   * quantized ggml type; quant/ggmlBlocks.ts); 'f32': dequantized (or stored) to float32.
   * The embedding's lookup reads float32 whatever the type; a tied embedding is 'blocks'
   * when the head runs from its blocks.
   */
  path: 'blocks' | 'f32'
}

export interface TextTokenizer {
  encode(text: string, opts?: { addSpecialTokens?: boolean }): number[]
  decode(ids: number[], opts?: { skipSpecialTokens?: boolean }): string
  idToToken(id: number): string
  readonly vocabSize: number
}

/**
 * The fused graph's summary of a step's logits (arch/graphNames.ts, IO.topLogits): the K largest
 * logits best first (ties by smaller id) with their ids, and log Σ exp over the vocabulary,
 * computed by ort so that the sampler need not scan ~50k logits in JS per token.
 */
export interface LogitSummary {
  topIds: Int32Array
  topLogits: Float32Array
  logSumExp: number
}

/** A step's logits (vocab-sized); from the fused graph with their summary. */
export type StepLogits = Float32Array & { summary?: LogitSummary }

export interface DecodeSession {
  readonly length: number
  /** Appends ids to the cache; returns the logits of the last position. */
  prefill(ids: number[]): Promise<StepLogits>
  decode(id: number): Promise<StepLogits>
  /** Drops the cache beyond `length` (regenerate / edit). */
  truncate(length: number): void
  dispose(): Promise<void>
}

export interface Insides {
  ids: number[]
  /** [position] → vocab */
  logits: Float32Array[]
  /** [layer] → heads × q × k, row-major */
  attentions: Float32Array[]
  /** [layer 0..L] → position × hidden (0 = embeddings, L = before the final norm) */
  hidden: Float32Array[]
  /** [layer] → position × hidden: the residual after attention, before the feed-forward */
  postAttention?: Float32Array[]
  numHeads: number
  hiddenSize: number
}

/** A call the assistant made, in the shape chat templates read (OpenAI's, as in HF). */
export interface ChatToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string | Record<string, unknown> }
}

/** One turn as chat templates read it; the tool fields keep the names templates use. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool'
  content: string
  tool_calls?: ChatToolCall[]
  tool_call_id?: string
  name?: string
}

export interface ChatRenderOptions {
  addGenerationPrompt: boolean
  /** Function tools (OpenAI's `tools` items), passed to the template as `tools`. */
  tools?: unknown[]
  /** enable_thinking for templates that read it (Qwen3); unset: the template's default. */
  thinking?: boolean
}

export interface LoadedModel {
  info: ModelInfo
  tokenizer: TextTokenizer
  /** The chat template rendered as text, or a plain fallback when the model has none. */
  renderChat(messages: ChatMessage[], opts: ChatRenderOptions): string
  newSession(): DecodeSession
  logits(ids: number[]): Promise<Float32Array[]>
  insides(ids: number[]): Promise<Insides>
  /** vocab × hidden, row-major. */
  embeddingMatrix(): Float32Array
  /** For the logit lens: hidden (n × hiddenSize) → logits (n × vocab). */
  finalNormAndHead(hidden: Float32Array): Float32Array
  /** The final norm and head weights, so the inspector can run the logit lens on ort. */
  headWeights(): HeadWeights
  dispose(): Promise<void>
}

export interface LoadModelOptions {
  quantization?: Quantization
  executionProvider?: ExecutionProviderSetting
  /** Where built graphs are cached (default: the per-user cache folder, never the model's). */
  cacheDir?: string
  threads?: number
  /**
   * MatMulNBits accuracy_level for int4/int8: 4 (default) quantizes activations to int8 and
   * is the fast kernel; 0 keeps f32 activations (int8 weights are then 10-40x slower per
   * token on CPU: onnxruntime expands them to f32 on every call). The app never picks 0.
   */
  accuracyLevel?: 0 | 4
  /**
   * Most new tokens per graph run (default 128; llama.cpp's micro-batch is 512): attention
   * over S new tokens holds [heads, S, cached + S] scores several times over, so a long
   * prompt is prefilled in chunks (a 4,000-token prompt in one run would need gigabytes).
   * For a 2,048-token prompt, chunks of 128–256 measured fastest here and 512 ~8 % slower.
   */
  prefillChunk?: number
  /** Profile the decode graph's kernels (the placement report): see SessionCreateOptions. */
  profilePrefix?: string
  /**
   * The KV cache's element type: float32 (the default for float32 weights; logits equal the
   * reference, and on GPU providers) or float16 (the default for int8/int4 on the CPU): half the cache's memory (a 4,096-token
   * chat of SmolLM2-135M: 90 MB instead of 180 MB), each step widening the rows to float32
   * for attention (README, Performance: what it costs and changes).
   */
  kvCache?: KvCacheType
}

export const FIXTURE_ARCHS = [
  'llama',
  'gpt2',
  'qwen2',
  'mistral',
  'qwen3',
  'gemma3',
  'smollm3',
  'phi3',
] as const
export type FixtureArch = (typeof FIXTURE_ARCHS)[number]
export type FixturePreset = 'tiny' | 'smollm2-135m' | 'gpt2-small' | 'qwen2.5-0.5b'

export interface FixtureOptions {
  arch: FixtureArch
  preset?: FixturePreset
  tiedEmbeddings?: boolean
  numKvHeads?: number
  /** Llama family: q/k/v/o (attention_bias) and MLP (mlp_bias) biases. */
  biases?: boolean
  /** Phi-3: original_max_position_embeddings, past which longrope reads its long factors. */
  longropeFrom?: number
  /** Gemma 3: set attn_logit_softcapping and final_logit_softcapping (small, so they bite). */
  softcapping?: boolean
  seed?: number
  tokenizer?: 'bytelevel' | 'llama3' | 'qwen3' | 'gemma3'
  /** Store weights as this dtype (default float32). */
  dtype?: 'float32' | 'float16' | 'bfloat16'
  /** Split weights across this many shards with model.safetensors.index.json. */
  shards?: number
}
