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
  // Phi-3's packed projections (PEFT's target_modules for Phi-3 name these).
  'qkv_proj',
  'gate_up_proj',
  'c_attn',
  'c_proj',
  'c_fc',
]
