// Checks a model folder when it is added, reading headers only (never the weights' data):
// safetensors headers and offsets, config.json's values, the shapes config.json implies for
// the tensors every layer has, and tokenizer.json. The first problem is a ModelFormatError
// naming the file, so a bad folder is refused at once instead of failing at its first chat.
import { gpt2Prefix } from '../arch'
import type { ArchConfig } from '../arch'
import { ModelFormatError, type WeightSource } from '../arch/weights'
import { HfTextTokenizer } from '../tokenizer/textTokenizer'
import { join } from 'node:path'
import { readModelFolder, type ModelFolder } from './modelFolder'

/** Name → the [rows, cols] (or [n]) config.json implies, for tensors the file must hold. */
function expectedShapes(cfg: ArchConfig, w: WeightSource): Map<string, number[]> {
  const out = new Map<string, number[]>()
  const h = cfg.hiddenSize
  if (cfg.family === 'gpt2') {
    const p = gpt2Prefix((n) => w.has(n))
    out.set(`${p}wte.weight`, [cfg.vocabSize, h])
    out.set(`${p}wpe.weight`, [cfg.contextLength, h])
    out.set(`${p}ln_f.weight`, [h])
    for (let i = 0; i < cfg.numLayers; i++) {
      out.set(`${p}h.${i}.attn.c_attn.weight`, [h, 3 * h])
      out.set(`${p}h.${i}.ln_1.weight`, [h])
    }
    return out
  }
  out.set('model.embed_tokens.weight', [cfg.vocabSize, h])
  out.set('model.norm.weight', [h])
  const q = cfg.numHeads * cfg.headDim
  const kv = cfg.numKvHeads * cfg.headDim
  for (let i = 0; i < cfg.numLayers; i++) {
    const p = `model.layers.${i}`
    if (cfg.packedCheckpoint) {
      out.set(`${p}.self_attn.qkv_proj.weight`, [q + 2 * kv, h])
      out.set(`${p}.mlp.gate_up_proj.weight`, [2 * cfg.intermediateSize, h])
    } else {
      out.set(`${p}.self_attn.q_proj.weight`, [q, h])
      out.set(`${p}.self_attn.k_proj.weight`, [kv, h])
      out.set(`${p}.self_attn.v_proj.weight`, [kv, h])
      out.set(`${p}.mlp.gate_proj.weight`, [cfg.intermediateSize, h])
      out.set(`${p}.mlp.up_proj.weight`, [cfg.intermediateSize, h])
    }
    out.set(`${p}.self_attn.o_proj.weight`, [h, q])
    out.set(`${p}.mlp.down_proj.weight`, [h, cfg.intermediateSize])
  }
  return out
}

function checkShapes(folder: ModelFolder): void {
  const w = folder.weights
  for (const [name, shape] of expectedShapes(folder.cfg, w)) {
    const e = w.entry(name) // throws "missing tensor" naming the file
    if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
      throw new ModelFormatError(
        e.file,
        `tensor ${name} has shape [${e.shape}] but config.json implies [${shape}]`,
      )
    }
  }
}

/** The folder as loadModel will read it, or the first problem with it, naming its file. */
export function checkModelFolder(dir: string): ModelFolder {
  const folder = readModelFolder(dir)
  checkShapes(folder)
  let vocab: number
  try {
    vocab = new HfTextTokenizer(folder.tokenizerJson, folder.tokenizerConfig).vocabSize
  } catch (e) {
    throw new ModelFormatError(
      join(dir, 'tokenizer.json'),
      `cannot be read as a tokenizer (${(e as Error).message})`,
    )
  }
  // A tokenizer with more ids than the embedding has rows would index past it at some token.
  if (vocab > folder.cfg.vocabSize) {
    throw new ModelFormatError(
      join(dir, 'tokenizer.json'),
      `has ${vocab} tokens but config.json's vocab_size is ${folder.cfg.vocabSize}`,
    )
  }
  return folder
}
