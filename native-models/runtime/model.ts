// LoadedModel over ort sessions: the KV-cache decode loop, full-sequence logits, insides.
import { IO, type ArchConfig, type KvCacheType } from '../arch'
import { ort, type OrtSession } from '../onnx/session'
import { RowKvCache, idsTensor, lastNTensor, runFullSequence } from './kvCache'
import type { ChatRenderer, HfTextTokenizer } from '../tokenizer/textTokenizer'
import type {
  ChatMessage,
  ChatRenderOptions,
  DecodeSession,
  Insides,
  LoadedModel,
  ModelInfo,
  StepLogits,
} from './types'

type Tensor = ort.Tensor

/** What finalNormAndHead needs: the final norm and the [vocab, hidden] head matrix. */
export interface HeadWeights {
  norm: 'rms' | 'layer'
  normWeight: Float32Array
  normBias?: Float32Array
  eps: number
  head: Float32Array
  /** Gemma's final_logit_softcapping: logits become cap · tanh(logit / cap). */
  softcap?: number
}

export interface ModelParts {
  info: ModelInfo
  cfg: ArchConfig
  tokenizer: HfTextTokenizer
  chat: ChatRenderer
  plain: OrtSession
  /** Whether `plain` uses the fused, input-only KV layout (RowKvCache). */
  fused: boolean
  /** The fused layout's element type (LoadModelOptions.kvCache). */
  kvCache?: KvCacheType
  /** LoadModelOptions.prefillChunk. */
  prefillChunk?: number
  /** Builds (or loads from the cache) the insides variant on first use. */
  insidesSession: () => Promise<OrtSession>
  embedding: () => Float32Array
  headWeights: () => HeadWeights
  onDispose?: () => Promise<void>
}

/** Runs ort calls one at a time: sessions of one model share one ort session. */
class RunQueue {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(f: () => Promise<T>): Promise<T> {
    const next = this.tail.then(f, f)
    this.tail = next.catch(() => undefined)
    return next
  }
}

function emptyPast(cfg: ArchConfig): Tensor {
  return new ort.Tensor('float32', new Float32Array(0), [1, cfg.numKvHeads, 0, cfg.headDim])
}

// 128 measured as fast as 256 and lighter (SmolLM2-135M shape, 2 threads: a 4,160-token
// prompt 8.4 s against 9.3 s at f32, peak RSS 1,122 against 1,200 MiB; int4 711 against
// 796 MiB; 512 tokens the same speed, 20-45 MiB less): fewer [heads, chunk, context] scores.
export const DEFAULT_PREFILL_CHUNK = 128

/** One logits row with the fused graph's summary of it (a step returns one row). */
function withSummary(out: ort.InferenceSession.ReturnType): StepLogits {
  const logits: StepLogits = out[IO.logits].data as Float32Array
  const ids = out[IO.topIds]?.data as BigInt64Array | undefined
  if (ids) {
    logits.summary = {
      topIds: Int32Array.from(ids, Number),
      topLogits: out[IO.topLogits].data as Float32Array,
      logSumExp: (out[IO.logSumExp].data as Float32Array)[0],
    }
  }
  return logits
}

class KvDecodeSession implements DecodeSession {
  private past: Tensor[] = []
  private rows: RowKvCache | null = null
  private len = 0
  private readonly one = new ort.Tensor('int64', new BigInt64Array(1), [1, 1])
  private readonly lastOne = lastNTensor(1)

  constructor(
    private readonly model: OrtModel,
    private readonly cfg: ArchConfig,
  ) {
    this.reset()
  }

  get length(): number {
    return this.len
  }

  private reset(): void {
    // The fused cache keeps its buffers' address space and releases their pages.
    if (this.model.parts.fused) {
      if (this.rows) this.rows.length = 0
      else this.rows = new RowKvCache(this.cfg, this.model.parts.kvCache)
    } else this.past = Array.from({ length: 2 * this.cfg.numLayers }, () => emptyPast(this.cfg))
    this.len = 0
  }

  private async step(ids: Tensor, count: number): Promise<StepLogits> {
    if (this.len + count > this.cfg.contextLength) {
      throw new Error(
        `context full: ${this.len + count} tokens exceed the model's ${this.cfg.contextLength}`,
      )
    }
    const session = this.model.parts.plain
    if (this.rows) {
      const out = await this.model.run(session, this.rows.feeds(ids, this.lastOne))
      this.rows.append(out[IO.newRows].data as ArrayBufferView, count)
      this.len += count
      return withSummary(out)
    }
    const feeds: Record<string, Tensor> = { [IO.inputIds]: ids, [IO.lastN]: this.lastOne }
    for (let i = 0; i < this.cfg.numLayers; i++) {
      feeds[IO.pastKey(i)] = this.past[2 * i]
      feeds[IO.pastValue(i)] = this.past[2 * i + 1]
    }
    const out = await this.model.run(session, feeds)
    for (let i = 0; i < this.cfg.numLayers; i++) {
      this.past[2 * i] = out[IO.presentKey(i)] as Tensor
      this.past[2 * i + 1] = out[IO.presentValue(i)] as Tensor
    }
    this.len += count
    return out[IO.logits].data as Float32Array
  }

  async prefill(ids: number[]): Promise<StepLogits> {
    if (ids.length === 0) throw new Error('prefill needs at least one token')
    const chunk = this.model.parts.prefillChunk ?? DEFAULT_PREFILL_CHUNK
    let logits: StepLogits | undefined
    for (let i = 0; i < ids.length; i += chunk) {
      const part = ids.slice(i, i + chunk)
      logits = await this.step(idsTensor(part), part.length)
    }
    return logits!
  }

  decode(id: number): Promise<StepLogits> {
    ;(this.one.data as BigInt64Array)[0] = BigInt(id)
    return this.step(this.one, 1)
  }

  truncate(length: number): void {
    if (length >= this.len) return
    if (length <= 0) return this.reset()
    if (this.rows) {
      this.rows.length = this.len = length
      return
    }
    const { numKvHeads: kv, headDim: d } = this.cfg
    this.past = this.past.map((t) => {
      const src = t.data as Float32Array
      const out = new Float32Array(kv * length * d)
      for (let h = 0; h < kv; h++)
        out.set(src.subarray(h * this.len * d, (h * this.len + length) * d), h * length * d)
      return new ort.Tensor('float32', out, [1, kv, length, d])
    })
    this.len = length
  }

  async dispose(): Promise<void> {
    this.reset()
  }
}

export class OrtModel implements LoadedModel {
  readonly info: ModelInfo
  readonly tokenizer: HfTextTokenizer
  private readonly queue = new RunQueue()
  private embeddingCache: Float32Array | null = null
  private headCache: HeadWeights | null = null

  constructor(readonly parts: ModelParts) {
    this.info = parts.info
    this.tokenizer = parts.tokenizer
  }

  run(
    session: OrtSession,
    feeds: Record<string, Tensor>,
    fetches?: Record<string, Tensor | null>,
  ): Promise<ort.InferenceSession.ReturnType> {
    return this.queue.run(() => (fetches ? session.run(feeds, fetches) : session.run(feeds)))
  }

  renderChat(messages: ChatMessage[], opts: ChatRenderOptions): string {
    return this.parts.chat.render(messages, opts)
  }

  newSession(): DecodeSession {
    return new KvDecodeSession(this, this.parts.cfg)
  }

  private checkSequence(ids: number[]): void {
    if (ids.length === 0) throw new Error('need at least one token')
    const max = this.parts.cfg.contextLength
    if (ids.length > max)
      throw new Error(`${ids.length} tokens exceed the model's context of ${max}`)
  }

  private splitRows(data: Float32Array, rows: number): Float32Array[] {
    const n = data.length / rows
    return Array.from({ length: rows }, (_, i) => data.subarray(i * n, (i + 1) * n))
  }

  async logits(ids: number[]): Promise<Float32Array[]> {
    this.checkSequence(ids)
    const { plain, cfg, fused, kvCache } = this.parts
    const layout = fused && (kvCache ?? 'float32')
    const out = await runFullSequence(plain, cfg, layout, ids, (f, o) => this.run(plain, f, o))
    return this.splitRows(out[IO.logits].data as Float32Array, ids.length)
  }

  async insides(ids: number[]): Promise<Insides> {
    this.checkSequence(ids)
    const session = await this.parts.insidesSession()
    const cfg = this.parts.cfg
    const out = await runFullSequence(session, cfg, false, ids, (f, o) => this.run(session, f, o))
    return {
      ids: [...ids],
      logits: this.splitRows(out[IO.logits].data as Float32Array, ids.length),
      attentions: Array.from(
        { length: cfg.numLayers },
        (_, i) => out[IO.attention(i)].data as Float32Array,
      ),
      hidden: Array.from(
        { length: cfg.numLayers + 1 },
        (_, i) => out[IO.hidden(i)].data as Float32Array,
      ),
      postAttention: Array.from(
        { length: cfg.numLayers },
        (_, i) => out[IO.postAttention(i)].data as Float32Array,
      ),
      numHeads: cfg.numHeads,
      hiddenSize: cfg.hiddenSize,
    }
  }

  embeddingMatrix(): Float32Array {
    this.embeddingCache ??= this.parts.embedding()
    return this.embeddingCache
  }

  headWeights(): HeadWeights {
    return (this.headCache ??= this.parts.headWeights())
  }

  finalNormAndHead(hidden: Float32Array): Float32Array {
    const w = this.headWeights()
    const h = this.parts.cfg.hiddenSize
    const vocab = w.head.length / h
    const rows = hidden.length / h
    const out = new Float32Array(rows * vocab)
    const x = new Float32Array(h)
    for (let r = 0; r < rows; r++) {
      const row = hidden.subarray(r * h, (r + 1) * h)
      let mean = 0
      if (w.norm === 'layer') for (let i = 0; i < h; i++) mean += row[i] / h
      let sq = 0
      for (let i = 0; i < h; i++) sq += (row[i] - mean) ** 2 / h
      const inv = 1 / Math.sqrt(sq + w.eps)
      for (let i = 0; i < h; i++)
        x[i] = (row[i] - mean) * inv * w.normWeight[i] + (w.normBias?.[i] ?? 0)
      for (let v = 0; v < vocab; v++) {
        let s = 0
        const base = v * h
        for (let i = 0; i < h; i++) s += x[i] * w.head[base + i]
        out[r * vocab + v] = w.softcap ? Math.tanh(s / w.softcap) * w.softcap : s
      }
    }
    return out
  }

  async dispose(): Promise<void> {
    await this.queue.run(async () => undefined)
    await this.parts.onDispose?.()
  }
}
