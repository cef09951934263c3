import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random/seededRandom'
import { trainWord2Vec } from './word2vec'
import { buildVocab, nearestRows, pairSampler, rowCosine, textWords } from './word2vecData'

// Planted structure: ten topics of five made-up words; every sentence draws its words from one
// topic, so words of a topic share their contexts and nothing else does. Skip-gram must put a
// topic's words near each other.
const TOPICS = 10
const PER_TOPIC = 5
const word = (t: number, i: number) => `w${t}x${i}`

function plantedCorpus(seed: number): string {
  const rand = seededRandom(seed)
  const lines: string[] = []
  for (let s = 0; s < 1500; s++) {
    const t = Math.floor(rand() * TOPICS)
    const words = Array.from({ length: 8 }, () => word(t, Math.floor(rand() * PER_TOPIC)))
    lines.push(words.join(' ') + '.')
  }
  return lines.join('\n')
}

const OPTS = { window: 3, dims: 16, negatives: 5, steps: 250, batch: 256, lr: 0.02, seed: 7 }

describe('word2vec (skip-gram, negative sampling) on onnxruntime', () => {
  it('recovers planted neighbours, the loss falls, and a seed repeats the run', async () => {
    const text = plantedCorpus(3)
    const seen: number[] = []
    const result = await trainWord2Vec(text, OPTS, { onStep: ({ loss }) => void seen.push(loss) })
    expect(result.words).toHaveLength(TOPICS * PER_TOPIC)
    expect(seen).toEqual(result.losses)
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    const first = mean(result.losses.slice(0, 10))
    const last = mean(result.losses.slice(-10))
    // Untrained, the loss is (1 + k)·ln 2 ≈ 4.16; it must fall well below that.
    expect(first).toBeGreaterThan(3.5)
    expect(last).toBeLessThan(first * 0.75)

    const row = new Map(result.words.map((w, i) => [w, i]))
    const d = result.dims
    const same: number[] = []
    const other: number[] = []
    for (let t = 0; t < TOPICS; t++) {
      for (let i = 0; i < PER_TOPIC; i++) {
        for (let j = i + 1; j < PER_TOPIC; j++) {
          same.push(rowCosine(result.vectors, d, row.get(word(t, i))!, row.get(word(t, j))!))
        }
        other.push(
          rowCosine(result.vectors, d, row.get(word(t, i))!, row.get(word((t + 1) % TOPICS, i))!),
        )
      }
    }
    expect(mean(same) - mean(other)).toBeGreaterThan(0.5)
    // Each word's four nearest words are its own topic's, for nearly every word.
    let recovered = 0
    for (const [w, r] of row) {
      const topic = w.split('x')[0]
      const near = nearestRows(result.vectors, d, r, PER_TOPIC - 1)
      recovered += near.filter((n) => result.words[n.index].split('x')[0] === topic).length
    }
    expect(recovered / (TOPICS * PER_TOPIC * (PER_TOPIC - 1))).toBeGreaterThan(0.9)

    const again = await trainWord2Vec(text, { ...OPTS, steps: 20 })
    const twice = await trainWord2Vec(text, { ...OPTS, steps: 20 })
    expect(Array.from(twice.vectors)).toEqual(Array.from(again.vectors))
    expect(twice.losses).toEqual(again.losses)
  }, 20_000)

  it('subsamples a word that fills half the text, as word2vec does', () => {
    const rand = seededRandom(2)
    const words = Array.from({ length: 4000 }, (_, i) =>
      i % 2 ? 'the' : `w${Math.floor(rand() * 200)}`,
    )
    const vocab = buildVocab(textWords(words.join(' ')), 1000, 1)
    const the = vocab.words.indexOf('the')
    const share = (sample: number) => {
      const b = pairSampler(vocab, { window: 2, negatives: 1, batch: 4000, seed: 1, sample })()
      return b.centres.filter((c) => Number(c) === the).length / 4000
    }
    expect(share(0)).toBeGreaterThan(0.45)
    // Kept with probability (√(0.5/0.001) + 1)·0.002 ≈ 0.047 of the time.
    expect(share(1e-3)).toBeLessThan(0.1)
  })

  it('refuses a text with too few repeated words, saying why', async () => {
    await expect(trainWord2Vec('one two three', OPTS)).rejects.toThrow(/seen at least 2 times/)
  })
})
