import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Word2VecResult, Word2VecSettings } from '../../../../main/contract/learnViews'
import { api } from '../../platform'
import { decodeFloats } from '../../space/spaceData'
import { Select } from '../../ui/Select'
import { StepLossChart } from '../StepLossChart'
import { analogyWords, nearestWords } from '../vectorMath'
import { VectorPlot, type PlotFrame } from '../VectorPlot'
import '../learnViews.css'

// Words of Genesis worth following as they find their places: people, kin, animals,
// places, numbers and verbs, so groups can form in front of the learner.
const GENESIS_WORDS = (
  'god lord man woman wife husband son daughter brother sister father mother sons daughters ' +
  'cattle sheep camels asses flocks herds egypt canaan land city water waters earth heaven ' +
  'day night morning evening abraham isaac jacob joseph esau sarah rebekah rachel leah laban ' +
  'pharaoh bread corn wine gold silver servant servants king years hundred thirty seven ' +
  'twelve said spake went came took gave blessed dream tree fruit seed field'
).split(' ')

interface Numbers {
  window: number
  dims: number
  negatives: number
  steps: number
}

const DEFAULTS: Numbers = { window: 4, dims: 32, negatives: 5, steps: 1500 }
const LIMITS: Record<keyof Numbers, [number, number]> = {
  window: [1, 10],
  dims: [2, 200],
  negatives: [1, 20],
  steps: [1, 50_000],
}

export function Word2VecChapter() {
  const { t } = useTranslation('learnViews')
  const [corpus, setCorpus] = useState<Word2VecSettings['corpus']>('shipped')
  const [text, setText] = useState('')
  const [numbers, setNumbers] = useState<Numbers>(DEFAULTS)
  const [running, setRunning] = useState(false)
  const [losses, setLosses] = useState<number[]>([])
  const [frame, setFrame] = useState<PlotFrame | null>(null)
  const [result, setResult] = useState<Word2VecResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [query, setQuery] = useState('egypt')
  // sheep : flocks :: cattle : ? ; the default run on Genesis answers herds.
  const [analogy, setAnalogy] = useState<[string, string, string]>(['sheep', 'flocks', 'cattle'])
  const lossRef = useRef<number[]>([])

  useEffect(
    () =>
      api.on('word2vec.progress', (p) => {
        const all = lossRef.current
        p.losses.forEach((loss, i) => (all[p.fromStep - 1 + i] = loss))
        setLosses([...all])
        setFrame({ words: p.shown.split('\n'), points: decodeFloats(p.points) })
      }),
    [],
  )

  const train = async () => {
    lossRef.current = []
    setLosses([])
    setResult(null)
    setError(null)
    setRunning(true)
    try {
      const settings = {
        corpus,
        ...numbers,
        ...(corpus === 'text' ? { text } : { show: GENESIS_WORDS }),
      }
      const r = await api.call('word2vec.train', { settings })
      setResult(r)
      setLosses(r.losses)
      // Past the commonest words ("the", "and"), whose neighbours say little.
      const words = r.words.split('\n')
      if (corpus === 'text') setQuery(words[Math.min(20, words.length - 1)])
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setRunning(false)
    }
  }

  const vocab = useMemo(() => (result ? result.words.split('\n') : []), [result])
  const vectors = useMemo(() => (result ? decodeFloats(result.vectors) : null), [result])
  const neighbours =
    result && vectors ? nearestWords(vocab, vectors, result.dims, query, 10) : undefined
  const analogies =
    result && vectors ? analogyWords(vocab, vectors, result.dims, analogy, 5) : undefined
  const last = losses.at(-1)

  return (
    <section className="lv-chapter" data-testid="word2vec-chapter">
      <h2>{t('word2vec.title')}</h2>
      <div className="learn-columns">
        <div className="lv-text">
          <p>{t('word2vec.intro')}</p>
          <p>{t('word2vec.watch')}</p>
        </div>
        <div className="learn-view">
          <fieldset className="learn-controls" disabled={running}>
            <span className="learn-field">
              {t('word2vec.corpus')}{' '}
              <Select
                value={corpus}
                ariaLabel={t('word2vec.corpus')}
                testId="w2v-corpus"
                disabled={running}
                options={[
                  { value: 'shipped', label: t('word2vec.corpusShipped') },
                  { value: 'text', label: t('word2vec.corpusText') },
                ]}
                onChange={setCorpus}
              />
            </span>
            {(Object.keys(DEFAULTS) as (keyof Numbers)[]).map((key) => (
              <label key={key}>
                {t(`word2vec.${key}`)}{' '}
                <input
                  type="number"
                  min={LIMITS[key][0]}
                  max={LIMITS[key][1]}
                  value={numbers[key]}
                  data-testid={`w2v-${key}`}
                  onChange={(e) => setNumbers({ ...numbers, [key]: Number(e.target.value) })}
                />
              </label>
            ))}
          </fieldset>
          {corpus === 'text' && (
            <label className="learn-files">
              {t('word2vec.files')}{' '}
              <input
                type="file"
                multiple
                accept=".txt,.md,text/plain,text/markdown"
                disabled={running}
                data-testid="w2v-files"
                onChange={(e) => {
                  const files = [...(e.target.files ?? [])]
                  void Promise.all(files.map((f) => f.text())).then((texts) =>
                    setText(texts.join('\n\n')),
                  )
                }}
              />
            </label>
          )}
          {corpus === 'text' && (
            <textarea
              className="learn-textarea"
              value={text}
              disabled={running}
              placeholder={t('word2vec.textPlaceholder')}
              data-testid="w2v-text"
              onChange={(e) => setText(e.target.value)}
            />
          )}
          <div className="learn-actions">
            {running ? (
              <button data-testid="w2v-stop" onClick={() => void api.call('word2vec.stop', {})}>
                {t('word2vec.stop')}
              </button>
            ) : (
              <button className="primary" data-testid="w2v-train" onClick={() => void train()}>
                {t('word2vec.train')}
              </button>
            )}
            <span
              className="learn-status"
              data-testid="w2v-status"
              data-steps={losses.length}
              data-first-loss={losses[0] ?? ''}
              data-last-loss={last ?? ''}
              data-done={result ? 'yes' : 'no'}
            >
              {result
                ? result.stopped
                  ? t('word2vec.stopped', { steps: result.steps })
                  : t('word2vec.finished', {
                      steps: result.steps,
                      seconds: result.seconds.toFixed(1),
                      words: result.textWords,
                      vocab: vocab.length,
                    })
                : last !== undefined
                  ? t('word2vec.progress', {
                      step: losses.length,
                      steps: numbers.steps,
                      loss: last.toFixed(3),
                    })
                  : null}
            </span>
          </div>
          {error && (
            <p className="lv-error" role="alert" data-testid="w2v-error">
              {error}
            </p>
          )}
          <h3>{t('word2vec.lossTitle')}</h3>
          <StepLossChart losses={losses} />
          <h3>{t('word2vec.plotTitle')}</h3>
          <VectorPlot frame={frame} />
          {result && (
            <p className="learn-muted learn-path" data-testid="w2v-saved">
              {t('word2vec.saved', {
                vectors: result.saved.vectorsPath,
                metadata: result.saved.metadataPath,
              })}
            </p>
          )}
          {result && (
            <div className="learn-neighbours">
              <label>
                {t('word2vec.neighbours')}{' '}
                <input
                  value={query}
                  list="w2v-vocab"
                  data-testid="w2v-query"
                  onChange={(e) => setQuery(e.target.value)}
                />
              </label>
              <datalist id="w2v-vocab">
                {vocab.slice(0, 500).map((w) => (
                  <option key={w} value={w} />
                ))}
              </datalist>
              {neighbours === null ? (
                <p>{t('word2vec.notInVocab', { word: query })}</p>
              ) : (
                <ol data-testid="w2v-neighbours">
                  {neighbours?.map((n) => (
                    <li key={n.word} data-testid="w2v-neighbour">
                      <span className="learn-word">{n.word}</span>{' '}
                      <span className="learn-muted">
                        {t('word2vec.similarity', { score: n.score.toFixed(2) })}
                      </span>
                    </li>
                  ))}
                </ol>
              )}
              <div className="learn-analogy">
                {t('word2vec.analogy')}{' '}
                {([1, 0, 2] as const).map((slot) => (
                  <span key={slot}>
                    {slot === 0 ? ' − ' : slot === 2 ? ' + ' : ''}
                    <input
                      value={analogy[slot]}
                      data-testid={`w2v-analogy-${slot}`}
                      onChange={(e) => {
                        const next: [string, string, string] = [...analogy]
                        next[slot] = e.target.value
                        setAnalogy(next)
                      }}
                    />
                  </span>
                ))}{' '}
                ≈{' '}
                {analogies === null ? (
                  <span>{t('word2vec.analogyMissing')}</span>
                ) : (
                  <span data-testid="w2v-analogy-answers">
                    {analogies?.map((n) => (
                      <span key={n.word} className="learn-chip" data-testid="w2v-analogy-answer">
                        {n.word}
                      </span>
                    ))}
                  </span>
                )}
              </div>
            </div>
          )}
        </div>
      </div>
    </section>
  )
}
