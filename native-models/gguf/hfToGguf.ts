// Hugging Face model folder (config.json + weights + tokenizer.json) → GGUF, with the
// tensor names, layouts and metadata keys that llama.cpp expects (its gguf-py constants
// and convert_hf_to_gguf.py are the reference). Pure: weights come through HfModelSource.

import { GGML_QUANTIZATION_VERSION, GgmlType, fileTypeOf, ggmlTypeOf } from './ggmlTypes'
import type { ExportGgmlType, ExportType } from './ggmlTypes'
import { gguf, type GgufFile, type GgufTensor, type GgufValue } from './ggufWriter'
import { encodeF16, encodeF32, quantizeQ4_0, quantizeQ8_0, QK } from './quantize'
import {
  recentExtraTensors,
  recentMetadata,
  recentTensors,
  type Mapped,
  type Transform,
} from './hfToGgufRecent'
import { tokenizerMetadata, type HfTokenizerJson, type SpecialTokens } from './tokenizerMetadata'

export type HfConfig = Record<string, unknown>

export interface HfModelSource {
  config: HfConfig
  /** Row-major shapes of every stored tensor, by HF name. */
  shapes: Map<string, number[]>
  /** The tensor as float32, read when the writer reaches it (so one at a time is in memory). */
  read(name: string): Float32Array
  tokenizer?: HfTokenizerJson
  tokenizerConfig?: Record<string, unknown>
  name?: string
}

export type GgufArchName = 'llama' | 'qwen2' | 'qwen3' | 'gemma3' | 'phi3' | 'gpt2'

/** gguf architecture name for a config.json model_type, or an error that says what is supported. */
export function ggufArchitecture(config: HfConfig): GgufArchName {
  const type = String(config.model_type)
  if (type === 'llama' || type === 'mistral') return 'llama'
  if (type === 'gemma3_text') return 'gemma3'
  if (type === 'gpt2' || type === 'qwen2' || type === 'qwen3' || type === 'phi3') return type
  throw new Error(
    `GGUF export supports gpt2, llama, mistral, qwen2, qwen3, gemma3_text and phi3 models, not ${type}`,
  )
}

/**
 * ggufArchitecture, after checking that llama.cpp can run the config as Transformers does
 * (hfToGgufRecent.ts refuses, naming the field, what it cannot): for answering before any
 * tensor is converted.
 */
export function exportableArchitecture(config: HfConfig): GgufArchName {
  const arch = ggufArchitecture(config)
  if (arch === 'gemma3' || arch === 'phi3') recentTensors(arch, config)
  return arch
}

const num = (config: HfConfig, key: string, fallback?: number): number => {
  const v = config[key] ?? fallback
  if (typeof v !== 'number') throw new Error(`config.json has no number ${key}`)
  return v
}

function llamaTensors(source: HfModelSource, arch: 'llama' | 'qwen2' | 'qwen3'): Mapped[] {
  const { config } = source
  const heads = num(config, 'num_attention_heads')
  const kvHeads = num(config, 'num_key_value_heads', heads)
  // llama.cpp's llama arch applies RoPE to adjacent pairs (GPT-J style) while HF rotates
  // halves (rotate_half), so convert_hf_to_gguf permutes the rows of Q and K per head;
  // the Qwens use llama.cpp's NEOX rope, which matches HF, so they are stored as is.
  const permute = (n: number): Transform => (arch === 'llama' ? { permuteHeads: n } : 'none')
  const perLayer: [string, string, Transform][] = [
    ['input_layernorm.weight', 'attn_norm.weight', 'none'],
    ['post_attention_layernorm.weight', 'ffn_norm.weight', 'none'],
    ['self_attn.q_proj.weight', 'attn_q.weight', permute(heads)],
    ['self_attn.q_proj.bias', 'attn_q.bias', permute(heads)],
    ['self_attn.k_proj.weight', 'attn_k.weight', permute(kvHeads)],
    ['self_attn.k_proj.bias', 'attn_k.bias', permute(kvHeads)],
    ['self_attn.v_proj.weight', 'attn_v.weight', 'none'],
    ['self_attn.v_proj.bias', 'attn_v.bias', 'none'],
    ...(arch === 'qwen3'
      ? ([
          ['self_attn.q_norm.weight', 'attn_q_norm.weight', 'none'],
          ['self_attn.k_norm.weight', 'attn_k_norm.weight', 'none'],
        ] as [string, string, Transform][])
      : []),
    ['self_attn.o_proj.weight', 'attn_output.weight', 'none'],
    ['mlp.gate_proj.weight', 'ffn_gate.weight', 'none'],
    ['mlp.up_proj.weight', 'ffn_up.weight', 'none'],
    ['mlp.down_proj.weight', 'ffn_down.weight', 'none'],
  ]
  const out: Mapped[] = [
    { hfName: 'model.embed_tokens.weight', ggufName: 'token_embd.weight', transform: 'none' },
  ]
  for (let i = 0; i < num(config, 'num_hidden_layers'); i++) {
    for (const [hf, gg, transform] of perLayer) {
      out.push({ hfName: `model.layers.${i}.${hf}`, ggufName: `blk.${i}.${gg}`, transform })
    }
  }
  out.push({ hfName: 'model.norm.weight', ggufName: 'output_norm.weight', transform: 'none' })
  if (!config.tie_word_embeddings) {
    out.push({ hfName: 'lm_head.weight', ggufName: 'output.weight', transform: 'none' })
  }
  return out
}

function gpt2Tensors(source: HfModelSource): Mapped[] {
  // HF GPT-2 uses Conv1D, whose weight is [in, out]: transposed to Linear's [out, in].
  const prefix = source.shapes.has('transformer.wte.weight') ? 'transformer.' : ''
  const perLayer: [string, string, Transform][] = [
    ['ln_1.weight', 'attn_norm.weight', 'none'],
    ['ln_1.bias', 'attn_norm.bias', 'none'],
    ['attn.c_attn.weight', 'attn_qkv.weight', 'transpose'],
    ['attn.c_attn.bias', 'attn_qkv.bias', 'none'],
    ['attn.c_proj.weight', 'attn_output.weight', 'transpose'],
    ['attn.c_proj.bias', 'attn_output.bias', 'none'],
    ['ln_2.weight', 'ffn_norm.weight', 'none'],
    ['ln_2.bias', 'ffn_norm.bias', 'none'],
    ['mlp.c_fc.weight', 'ffn_up.weight', 'transpose'],
    ['mlp.c_fc.bias', 'ffn_up.bias', 'none'],
    ['mlp.c_proj.weight', 'ffn_down.weight', 'transpose'],
    ['mlp.c_proj.bias', 'ffn_down.bias', 'none'],
  ]
  const out: Mapped[] = [
    { hfName: `${prefix}wte.weight`, ggufName: 'token_embd.weight', transform: 'none' },
    { hfName: `${prefix}wpe.weight`, ggufName: 'position_embd.weight', transform: 'none' },
  ]
  for (let i = 0; i < num(source.config, 'n_layer'); i++) {
    for (const [hf, gg, transform] of perLayer) {
      out.push({ hfName: `${prefix}h.${i}.${hf}`, ggufName: `blk.${i}.${gg}`, transform })
    }
  }
  out.push({ hfName: `${prefix}ln_f.weight`, ggufName: 'output_norm.weight', transform: 'none' })
  out.push({ hfName: `${prefix}ln_f.bias`, ggufName: 'output_norm.bias', transform: 'none' })
  // GPT-2 ties lm_head to wte; llama.cpp falls back to token_embd when output is absent.
  if (source.shapes.has('lm_head.weight') && source.config.tie_word_embeddings === false) {
    out.push({ hfName: 'lm_head.weight', ggufName: 'output.weight', transform: 'none' })
  }
  return out
}

/**
 * HF rotate_half order → llama.cpp's interleaved order, per head: row (h, t, j) moves to
 * (h, j, t) for t in {0, 1}, j < headDim / 2 (gguf.md's `permute`, reshape + swapaxes).
 */
export function permuteHeads(data: Float32Array, rows: number, heads: number): Float32Array {
  const cols = data.length / rows
  const headDim = rows / heads
  const half = headDim / 2
  const out = new Float32Array(data.length)
  for (let h = 0; h < heads; h++) {
    for (let t = 0; t < 2; t++) {
      for (let j = 0; j < half; j++) {
        const from = (h * headDim + t * half + j) * cols
        const to = (h * headDim + j * 2 + t) * cols
        out.set(data.subarray(from, from + cols), to)
      }
    }
  }
  return out
}

export function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length)
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]
  return out
}

/** convert_hf_to_gguf's choice: vectors and position embeddings stay f32; blocks need ne0 % 32. */
export function tensorType(
  requested: ExportGgmlType,
  ggufName: string,
  shape: number[],
): ExportGgmlType {
  if (shape.length < 2 || ggufName === 'position_embd.weight') return GgmlType.F32
  const quantized = requested === GgmlType.Q8_0 || requested === GgmlType.Q4_0
  if (quantized && shape[shape.length - 1] % QK !== 0) return GgmlType.F16
  return requested
}

interface RopeScaling {
  rope_type?: string
  type?: string
  factor?: number
  low_freq_factor?: number
  high_freq_factor?: number
  original_max_position_embeddings?: number
}

/**
 * Llama 3.1 rope scaling as llama.cpp stores it: a rope_freqs tensor of per-pair divisors
 * (convert_hf_to_gguf LlamaModel.generate_extra_tensors; HF _compute_llama3_parameters
 * multiplies inv_freq by the reciprocal of the same factor).
 */
export function llama3RopeFactors(config: HfConfig): Float32Array {
  const s = config.rope_scaling as RopeScaling
  const base = num(config, 'rope_theta', 10000)
  const dim =
    (config.head_dim as number | undefined) ??
    num(config, 'hidden_size') / num(config, 'num_attention_heads')
  const factor = s.factor ?? 8
  const low = s.low_freq_factor ?? 1
  const high = s.high_freq_factor ?? 4
  const oldContext = s.original_max_position_embeddings ?? 8192
  const out = new Float32Array(dim / 2)
  for (let i = 0; i < dim / 2; i++) {
    const wavelen = (2 * Math.PI) / Math.fround(1 / base ** ((2 * i) / dim))
    if (wavelen < oldContext / high) out[i] = 1
    else if (wavelen > oldContext / low) out[i] = factor
    else {
      const smooth = (oldContext / wavelen - low) / (high - low)
      out[i] = 1 / ((1 - smooth) / factor + smooth)
    }
  }
  return out
}

const encoders: Record<ExportGgmlType, (x: Float32Array) => Uint8Array> = {
  [GgmlType.F32]: encodeF32,
  [GgmlType.F16]: encodeF16,
  [GgmlType.Q8_0]: quantizeQ8_0,
  [GgmlType.Q4_0]: quantizeQ4_0,
}

function archMetadata(arch: GgufArchName, config: HfConfig): [string, GgufValue][] {
  if (arch === 'gemma3' || arch === 'phi3') return recentMetadata(arch, config)
  if (arch === 'gpt2') {
    const embd = num(config, 'n_embd')
    return [
      ['gpt2.context_length', gguf.u32(num(config, 'n_positions', num(config, 'n_ctx', 1024)))],
      ['gpt2.embedding_length', gguf.u32(embd)],
      ['gpt2.feed_forward_length', gguf.u32((config.n_inner as number | null) ?? 4 * embd)],
      ['gpt2.block_count', gguf.u32(num(config, 'n_layer'))],
      ['gpt2.attention.head_count', gguf.u32(num(config, 'n_head'))],
      ['gpt2.attention.layer_norm_epsilon', gguf.f32(num(config, 'layer_norm_epsilon', 1e-5))],
    ]
  }
  const heads = num(config, 'num_attention_heads')
  const hidden = num(config, 'hidden_size')
  const headDim = (config.head_dim as number | undefined) ?? hidden / heads
  const out: [string, GgufValue][] = [
    [`${arch}.context_length`, gguf.u32(num(config, 'max_position_embeddings'))],
    [`${arch}.embedding_length`, gguf.u32(hidden)],
    [`${arch}.block_count`, gguf.u32(num(config, 'num_hidden_layers'))],
    [`${arch}.feed_forward_length`, gguf.u32(num(config, 'intermediate_size'))],
    [`${arch}.rope.dimension_count`, gguf.u32(headDim)],
    [`${arch}.rope.freq_base`, gguf.f32(num(config, 'rope_theta', 10000))],
    [`${arch}.attention.head_count`, gguf.u32(heads)],
    [`${arch}.attention.head_count_kv`, gguf.u32(num(config, 'num_key_value_heads', heads))],
    [`${arch}.attention.layer_norm_rms_epsilon`, gguf.f32(num(config, 'rms_norm_eps', 1e-6))],
  ]
  const scaling = config.rope_scaling as RopeScaling | null | undefined
  const scalingType = scaling?.rope_type ?? scaling?.type
  if (scalingType === 'linear') {
    out.push([`${arch}.rope.scaling.type`, gguf.str('linear')])
    out.push([`${arch}.rope.scaling.factor`, gguf.f32(scaling!.factor ?? 1)])
  } else if (scaling && scalingType !== 'llama3' && scalingType !== 'default') {
    throw new Error(`GGUF export does not handle rope_scaling type ${scalingType}`)
  }
  if (headDim !== hidden / heads) {
    out.push([`${arch}.attention.key_length`, gguf.u32(headDim)])
    out.push([`${arch}.attention.value_length`, gguf.u32(headDim)])
  }
  return out
}

function specialTokens(source: HfModelSource): SpecialTokens {
  const { config, tokenizer, tokenizerConfig } = source
  const idOf = (key: string, configKey: string): number | undefined => {
    const fromConfig = config[configKey]
    if (typeof fromConfig === 'number') return fromConfig
    if (Array.isArray(fromConfig) && typeof fromConfig[0] === 'number') return fromConfig[0]
    const t = tokenizerConfig?.[key]
    const text = typeof t === 'string' ? t : (t as { content?: string } | null)?.content
    if (!text || !tokenizer) return undefined
    return (
      tokenizer.added_tokens?.find((a) => a.content === text)?.id ?? tokenizer.model.vocab[text]
    )
  }
  const bos = idOf('bos_token', 'bos_token_id')
  const addBos = tokenizerConfig?.add_bos_token ?? templateAddsBos(tokenizer, bos)
  return {
    bos,
    eos: idOf('eos_token', 'eos_token_id'),
    pad: idOf('pad_token', 'pad_token_id'),
    unk: idOf('unk_token', 'unk_token_id'),
    addBos: typeof addBos === 'boolean' ? addBos : undefined,
  }
}

/**
 * gguf-py's SpecialVocab reads add_bos from tokenizer.json's TemplateProcessing when
 * tokenizer_config.json does not say: BOS first in the single-sequence template.
 */
function templateAddsBos(
  tokenizer: HfTokenizerJson | undefined,
  bos?: number,
): boolean | undefined {
  type Step = { type?: string; processors?: Step[]; single?: { SpecialToken?: { id: string } }[] }
  const root = tokenizer?.post_processor as Step | null | undefined
  const steps = root?.type === 'Sequence' ? (root.processors ?? []) : root ? [root] : []
  const template = steps.find((p) => p.type === 'TemplateProcessing')
  if (!template || bos === undefined || !tokenizer) return undefined
  const first = template.single?.[0]?.SpecialToken?.id
  const firstId =
    first === undefined
      ? undefined
      : (tokenizer.added_tokens?.find((a) => a.content === first)?.id ??
        tokenizer.model.vocab[first])
  return firstId === bos
}

export function hfToGguf(source: HfModelSource, exportType: ExportType): GgufFile {
  const arch = ggufArchitecture(source.config)
  const requested = ggmlTypeOf[exportType]
  const mapped =
    arch === 'gpt2'
      ? gpt2Tensors(source)
      : arch === 'gemma3' || arch === 'phi3'
        ? recentTensors(arch, source.config)
        : llamaTensors(source, arch)
  const tensors: GgufTensor[] = []
  let quantized = false
  for (const m of mapped) {
    const shape = source.shapes.get(m.hfName)
    if (!shape) {
      if (m.hfName.endsWith('.bias') || m.ggufName === 'output.weight') continue // optional
      throw new Error(`weights have no ${m.hfName}`)
    }
    const rowMajor = m.transform === 'transpose' ? [shape[1], shape[0]] : shape
    const type = tensorType(requested, m.ggufName, rowMajor)
    quantized ||= type === GgmlType.Q8_0 || type === GgmlType.Q4_0
    tensors.push({
      name: m.ggufName,
      dims: [...rowMajor].reverse(),
      type,
      encode: () => {
        let data = source.read(m.hfName)
        const t = m.transform
        if (t === 'transpose') data = transpose(data, shape[0], shape[1])
        else if (t !== 'none' && 'shift' in t) data = data.map((v) => v + t.shift)
        else if (t !== 'none') data = permuteHeads(data, shape[0], t.permuteHeads)
        return encoders[type](data)
      },
    })
  }
  const scaling = source.config.rope_scaling as RopeScaling | null | undefined
  if (arch === 'gemma3' || arch === 'phi3') {
    for (const extra of recentExtraTensors(arch, source.config)) {
      tensors.push({
        name: extra.name,
        dims: [extra.data.length],
        type: GgmlType.F32,
        encode: () => encodeF32(extra.data),
      })
    }
  } else if (arch !== 'gpt2' && (scaling?.rope_type ?? scaling?.type) === 'llama3') {
    const factors = llama3RopeFactors(source.config)
    tensors.push({
      name: 'rope_freqs.weight',
      dims: [factors.length],
      type: GgmlType.F32,
      encode: () => encodeF32(factors),
    })
  }
  const metadata: [string, GgufValue][] = [
    ['general.architecture', gguf.str(arch)],
    ['general.name', gguf.str(source.name ?? arch)],
    ['general.alignment', gguf.u32(32)],
    ['general.file_type', gguf.u32(fileTypeOf[requested])],
    ...archMetadata(arch, source.config),
  ]
  if (quantized) {
    metadata.push(['general.quantization_version', gguf.u32(GGML_QUANTIZATION_VERSION)])
  }
  const embedding = tensors.find((t) => t.name === 'token_embd.weight')
  if (!embedding) throw new Error('weights have no token embedding')
  const vocabRows = embedding.dims[1]
  metadata.push([`${arch}.vocab_size`, gguf.u32(vocabRows)])
  if (!source.tokenizer) {
    // A GGUF without a vocabulary still loads in llama.cpp (token ids in, token ids out).
    metadata.push(['tokenizer.ggml.model', gguf.str('no_vocab')])
  } else {
    const template = source.tokenizerConfig?.chat_template
    metadata.push(
      ...tokenizerMetadata(
        source.tokenizer,
        vocabRows,
        specialTokens(source),
        typeof template === 'string' ? template : undefined,
      ),
    )
  }
  return { metadata, tensors }
}
