// What a graph build takes (buildInferenceGraph, GraphContext).
import type { IntegerGemm } from './int8Gemm'

export type GraphQuantization = 'none' | 'int8' | 'int4'

export interface GraphOptions {
  /** Also output per-layer attention probabilities and hidden states. */
  insides?: boolean
  quantization?: GraphQuantization
  /**
   * MatMulNBits accuracy_level (0: f32 activations; 4: int8 activations, faster). int8 at
   * level 4 on the CPU runs MLAS's integer GEMM with activations quantized per row instead
   * (arch/int8Gemm.ts); at level 0 it stays MatMulNBits (float activations, as on a GPU).
   */
  accuracyLevel?: number
  /**
   * The layout loadModel uses. Every variant packs the q/k/v and the gate/up projections
   * into one matrix each (concatenated along the output axis at build time), so the plain
   * and insides variants share one weights.bin. The plain variant (not `insides`) then runs
   * on com.microsoft fused ops where they save nodes (RotaryEmbedding, residual add + norm as
   * Skip(Simplified)LayerNormalization) and on attention that only reads the KV cache
   * (arch/fused.ts: [1 + past, KV, 1, d] rows per layer in, the new rows out as IO.newRows).
   * Unset for training graphs, whose initializers must be the checkpoint's own tensors.
   */
  fused?: boolean
  /**
   * With quantization 'none', projections the weights hold as exact MatMulNBits blocks
   * (WeightSource.blocks: every quantized GGUF type, quant/ggmlBlocks.ts), the head included,
   * run on those blocks instead of being expanded to float32: the same matrix, a fraction of
   * the memory. 4-bit blocks keep float activations (accuracy_level 0); 8-bit blocks (Q8_0,
   * and the 5- and 6-bit types) run at level 4, as llama.cpp runs q8_0: onnxruntime 1.30's CPU
   * MatMulNBits has no 8-bit kernel with float activations and below level 4 expands the
   * whole matrix to float32 on every call (measured 41x slower than level 4 per decode
   * product, 13x slower than a float32 MatMul).
   */
  storedBlocks?: boolean
  /**
   * For a GPU provider: attention's products as MatMul over transposed cache rows instead of
   * com.microsoft FusedMatMul with transBatchB, which only the CPU provider has (WebGPU would
   * run those products on the CPU, copying the cache across every step).
   */
  gpu?: boolean
  /**
   * The CPU inference graphs (fused, and the insides graph beside it) take the token
   * embeddings as input (IO.embeds) instead of looking them up: a Gather keeps the whole
   * table mapped, and this machine's read-ahead (8 MB per fault) brought all of it into RSS
   * after a few hundred lookups (108 MB for SmolLM2), where rows read with pread stay in the
   * page cache. The rows come from weights.bin where
   * a tied float32 head holds the table, else from a side file (io/graphCache.ts tensorFile).
   */
  embedsIn?: boolean
  /**
   * The fused graph's KV cache element type (default float32). float16 halves the cache's
   * memory: the graph reads f16 rows, widens each layer's cache to float32 for attention
   * (onnxruntime's CPU provider has no f16 FusedMatMul) and returns the new rows as f16.
   */
  kvCache?: KvCacheType
  /** The int8 variant's integer GEMM (default 'u8s8'; runtime/integerGemm.ts). */
  integerGemm?: IntegerGemm
}

/** Element type of the fused graph's KV cache rows (GraphOptions.kvCache). */
export type KvCacheType = 'float32' | 'float16'
