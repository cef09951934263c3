// A toy ChatModel for the generation loop's unit tests: one token per ASCII character and
// a decode session whose logits depend only on the last token, recording what it was fed.
// The real models are tested against the real onnxruntime in engine.test.ts.
import type { ChatModel, ChatTurn, DecodeSessionLike } from './types'

export interface ToyLog {
  prefills: number[][]
  decodes: number[]
  truncates: number[]
  disposed: number
}

export function createToyModel(
  opts: { contextLength?: number; spread?: number; decodeDelayMs?: number } = {},
): {
  model: ChatModel
  log: ToyLog
} {
  const vocab = 128
  const eos = 0
  const spread = opts.spread ?? 0.3
  const log: ToyLog = { prefills: [], decodes: [], truncates: [], disposed: 0 }
  // Favour the next letter of the alphabet after the last token; '.' after 'z'.
  const logitsAfter = (last: number): Float32Array => {
    const want = last >= 97 && last < 122 ? last + 1 : last === 122 ? 46 : 97
    return Float32Array.from({ length: vocab }, (_, i) =>
      i === eos ? -5 : i === want ? 4 : -spread * Math.abs(i - want),
    )
  }
  const model: ChatModel = {
    id: 'toy',
    contextLength: opts.contextLength ?? 4096,
    eosTokenIds: [eos],
    hasChatTemplate: true,
    encode: (text) => Array.from(text, (c) => Math.min(c.charCodeAt(0), vocab - 1)),
    decode: (ids) => String.fromCharCode(...ids),
    // Like Qwen3's template, thinking off opens the answer with an empty think block.
    renderChat: (turns: ChatTurn[], { addGenerationPrompt, thinking }) =>
      turns.map((t) => `<${t.role}>${t.content}\n`).join('') +
      (addGenerationPrompt ? '<assistant>' : '') +
      (thinking === false ? '<think></think>' : ''),
    newSession(): DecodeSessionLike {
      let cache: number[] = []
      return {
        async prefill(ids) {
          log.prefills.push(ids.slice())
          cache.push(...ids)
          return logitsAfter(cache[cache.length - 1])
        },
        async decode(id) {
          log.decodes.push(id)
          // A real step yields to the event loop too (onnxruntime runs off the JS thread).
          await new Promise((r) =>
            opts.decodeDelayMs ? setTimeout(r, opts.decodeDelayMs) : setImmediate(r),
          )
          cache.push(id)
          return logitsAfter(id)
        },
        truncate(n) {
          log.truncates.push(n)
          cache = cache.slice(0, n)
        },
        dispose() {
          log.disposed++
        },
      }
    },
    dispose() {},
  }
  return { model, log }
}
