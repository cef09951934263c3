// Apart from lora.ts so that settings can name the defaults without loading onnxruntime.
/** The projections LoRA adapts by default: Llama-family and GPT-2 names. */
export const DEFAULT_LORA_TARGETS = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
  'c_attn',
  'c_proj',
  'c_fc',
]
