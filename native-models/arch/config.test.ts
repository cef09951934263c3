import { describe, expect, it } from 'vitest'
import { parameterCount, parseConfig, ropeInvFreq } from './config'

const smollm = {
  model_type: 'llama',
  architectures: ['LlamaForCausalLM'],
  hidden_size: 576,
  intermediate_size: 1536,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  vocab_size: 49152,
  max_position_embeddings: 8192,
  rope_theta: 100000,
  rms_norm_eps: 1e-5,
  tie_word_embeddings: true,
}

describe('config.json parsing', () => {
  it('SmolLM2-135M: shapes and the published parameter count', () => {
    const c = parseConfig(smollm)
    expect(c).toMatchObject({
      family: 'llama',
      headDim: 64,
      numKvHeads: 3,
      tiedEmbeddings: true,
      qkvBias: false,
    })
    expect(parameterCount(c)).toBe(134_515_008)
  })

  it('GPT-2 small has 124M parameters', () => {
    const c = parseConfig({
      model_type: 'gpt2',
      n_embd: 768,
      n_layer: 12,
      n_head: 12,
      n_positions: 1024,
      vocab_size: 50257,
    })
    expect(c.intermediateSize).toBe(3072)
    expect(parameterCount(c)).toBe(124_439_808)
  })

  it('a sliding window caps the context (Mistral; Qwen2 only when use_sliding_window)', () => {
    const long = { ...smollm, max_position_embeddings: 32768, sliding_window: 4096 }
    expect(parseConfig({ ...long, model_type: 'mistral' }).contextLength).toBe(4096)
    expect(
      parseConfig({ ...long, model_type: 'mistral', sliding_window: null }).contextLength,
    ).toBe(32768)
    expect(parseConfig({ ...long, model_type: 'qwen2' }).contextLength).toBe(32768)
    const qwen = { ...long, model_type: 'qwen2', use_sliding_window: true }
    expect(parseConfig(qwen).contextLength).toBe(4096)
    expect(parseConfig({ ...long, model_type: 'llama' }).contextLength).toBe(32768)
  })

  it('qwen2 has q/k/v biases, no o_proj bias; llama defaults to untied', () => {
    const q = parseConfig({ ...smollm, model_type: 'qwen2' })
    expect(q.qkvBias).toBe(true)
    expect(q.oBias).toBe(false)
    const { tie_word_embeddings: _, ...untied } = smollm
    expect(parseConfig(untied).tiedEmbeddings).toBe(false)
    expect(parseConfig({ ...smollm, model_type: 'mistral' }).family).toBe('llama')
  })

  it('llama3 rope scaling keeps high frequencies, divides low ones, blends between', () => {
    const base = parseConfig({
      ...smollm,
      rope_theta: 500000,
      hidden_size: 4096,
      num_attention_heads: 32,
      num_key_value_heads: 8,
    })
    const scaled = parseConfig({
      ...smollm,
      rope_theta: 500000,
      hidden_size: 4096,
      num_attention_heads: 32,
      num_key_value_heads: 8,
      rope_scaling: {
        rope_type: 'llama3',
        factor: 8,
        low_freq_factor: 1,
        high_freq_factor: 4,
        original_max_position_embeddings: 8192,
      },
    })
    const a = ropeInvFreq(base)
    const b = ropeInvFreq(scaled)
    expect(b[0]).toBe(a[0]) // wavelength 2π < 2048: unchanged
    expect(b[63]).toBeCloseTo(a[63] / 8, 12) // longest wavelengths: divided by the factor
    const mid = a.findIndex((x) => (2 * Math.PI) / x > 2048 && (2 * Math.PI) / x < 8192)
    expect(b[mid]).toBeLessThan(a[mid])
    expect(b[mid]).toBeGreaterThan(a[mid] / 8)
  })

  it('rejects what it cannot run, naming what it can', () => {
    expect(() => parseConfig({ model_type: 'bert' })).toThrow(
      /supported: gpt2, llama, qwen2, mistral/,
    )
    expect(() =>
      parseConfig({ ...smollm, rope_scaling: { rope_type: 'fancy', factor: 4 } }),
    ).toThrow(/rope_scaling type fancy is not supported \(supported: default, linear/)
    expect(() => parseConfig({ ...smollm, hidden_act: 'gelu' })).toThrow(/hidden_act gelu/)
  })
})

describe('gemma3_text config', () => {
  const base = {
    model_type: 'gemma3_text',
    hidden_size: 64,
    num_hidden_layers: 6,
    num_attention_heads: 4,
    num_key_value_heads: 1,
    intermediate_size: 128,
    vocab_size: 300,
  }
  it('reads Gemma3TextConfig defaults: head_dim 256, query_pre_attn_scalar, √hidden, tied', () => {
    const c = parseConfig(base)
    expect(c.headDim).toBe(256)
    expect(c.attnScale).toBeCloseTo(1 / 16, 12)
    expect(c.embedScale).toBe(Math.fround(8))
    expect(c.tiedEmbeddings).toBe(true)
    expect(c.slidingWindow).toBe(4096)
    expect(c.attnSoftcap).toBeNull()
  })
  it('older configs: every sliding_window_pattern-th layer is full', () => {
    expect(parseConfig({ ...base, sliding_window_pattern: 3 }).layerTypes).toEqual([
      'sliding',
      'sliding',
      'full',
      'sliding',
      'sliding',
      'full',
    ])
    expect(parseConfig(base).layerTypes.filter((t) => t === 'full')).toHaveLength(1)
  })
  it('layer_types wins, and a wrong entry names the field', () => {
    const types = ['full_attention', ...Array(5).fill('sliding_attention')]
    expect(parseConfig({ ...base, layer_types: types }).layerTypes[0]).toBe('full')
    expect(() => parseConfig({ ...base, layer_types: ['chunked', ...types.slice(1)] })).toThrow(
      /layer_types\[0\]/,
    )
  })
  it('sliding layers use rope_local_base_freq without scaling; full layers rope_theta and rope_scaling', () => {
    const c = parseConfig({
      ...base,
      head_dim: 8,
      rope_theta: 1e6,
      rope_local_base_freq: 1e4,
      rope_scaling: { rope_type: 'linear', factor: 8 },
    })
    expect(ropeInvFreq(c, 'sliding')[1]).toBeCloseTo(1 / 1e4 ** (2 / 8), 12)
    expect(ropeInvFreq(c, 'full')[1]).toBeCloseTo(1 / 1e6 ** (2 / 8) / 8, 12)
    const nested = parseConfig({
      ...base,
      head_dim: 8,
      rope_parameters: {
        full_attention: { rope_type: 'linear', rope_theta: 1e6, factor: 8 },
        sliding_attention: { rope_type: 'default', rope_theta: 1e4 },
      },
    })
    expect(Array.from(ropeInvFreq(nested, 'full'))).toEqual(Array.from(ropeInvFreq(c, 'full')))
    expect(Array.from(ropeInvFreq(nested, 'sliding'))).toEqual(
      Array.from(ropeInvFreq(c, 'sliding')),
    )
  })
})

describe('smollm3 config', () => {
  const base = {
    model_type: 'smollm3',
    hidden_size: 64,
    num_hidden_layers: 8,
    num_attention_heads: 4,
    intermediate_size: 128,
    vocab_size: 300,
  }
  it('without no_rope_layers, every 4th layer is NoPE (SmolLM3Config); embeddings tied', () => {
    const c = parseConfig(base)
    expect(c.ropeLayers).toEqual([true, true, true, false, true, true, true, false])
    expect(c.tiedEmbeddings).toBe(true)
  })
  it('no_rope_layers: 1 rotates, 0 does not; too short a list names the field', () => {
    const list = [0, 1, 1, 1, 0, 1, 1, 1]
    expect(parseConfig({ ...base, no_rope_layers: list }).ropeLayers).toEqual(list.map(Boolean))
    expect(() => parseConfig({ ...base, no_rope_layers: [1, 0] })).toThrow(/no_rope_layers/)
  })
})
