// Names the graphs give their inputs, outputs and nodes, which the runtime reads back.

/**
 * Graph I/O names. The KV cache is past_key_values.{i}.key/value → present.{i}.key/value in
 * the unfused graphs; the fused graph reads past_key_values and outputs only IO.newRows.
 */
export const IO = {
  inputIds: 'input_ids',
  /**
   * Fused CPU graph with GraphOptions.embedsIn: the new tokens' embedding rows [1, S, hidden]
   * in place of input_ids (io/embeddingRows.ts reads them from weights.bin).
   */
  embeds: 'inputs_embeds',
  lastN: 'num_logits',
  /**
   * Fused graph only: the new tokens' K and V rows of every layer, [2·layers·S, KV, 1, d]
   * (layer i's keys are rows 2i·S.., its values (2i+1)·S..); the cache itself is input only.
   */
  newRows: 'new_key_values',
  logits: 'logits',
  /**
   * Fused graph only, per logits row: the LOGIT_SUMMARY_K largest logits (best first, ties
   * by smaller id, as ONNX TopK orders them), their ids, and log Σ exp(logits): what the
   * sampler and the reported log-probabilities need, computed by ort instead of by JS passes
   * over the vocabulary (runtime/types.ts, LogitSummary).
   */
  topLogits: 'top_logits',
  topIds: 'top_ids',
  logSumExp: 'logsumexp',
  pastKey: (i: number) => `past_key_values.${i}.key`,
  pastValue: (i: number) => `past_key_values.${i}.value`,
  presentKey: (i: number) => `present.${i}.key`,
  presentValue: (i: number) => `present.${i}.value`,
  attention: (i: number) => `attentions.${i}`,
  hidden: (i: number) => `hidden_states.${i}`,
  /** The residual after a layer's attention, before its feed-forward half (insides only). */
  postAttention: (i: number) => `post_attention.${i}`,
}

/**
 * The node scope of a weight or a layer, as onnxruntime-genai names nodes:
 * 'model.layers.0.self_attn.q_proj.weight' → '/model/layers.0/self_attn/q_proj'.
 */
export function scopeOf(name: string): string {
  const parts: string[] = []
  for (const part of name.replace(/\.(weight|bias)$/, '').split('.')) {
    if (/^\d+$/.test(part) && parts.length) parts[parts.length - 1] += `.${part}`
    else parts.push(part)
  }
  return `/${parts.join('/')}`
}
