import { useEffect, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '../../../main/contract/define'
import { apiErrorOf } from '../errors'
import { ErrorText } from '../ErrorText'
import { useFormat } from '../i18n/format'
import { api } from '../platform'
import type { MethodOutput } from '../../../main/contract'
import type { LossPoint } from './LossChart'
import { isStatus } from './runStatus'

type Run = MethodOutput<'training.listRuns'>['runs'][number]
type Comparison = MethodOutput<'training.compare'>

/** The runs history, and the before/after panel for a finished run. */
export function RunsPanel({
  version,
  activeRunId,
  onShow,
}: {
  version: number
  activeRunId: number | null
  onShow: (id: number, metrics: LossPoint[]) => void
}) {
  const { t } = useTranslation('train')
  const format = useFormat()
  const ppl = (x: number | null): string => (x === null ? t('runs.none') : format.number(x, 2))
  const [runs, setRuns] = useState<Run[]>([])
  const [prompt, setPrompt] = useState('And God said')
  const [comparison, setComparison] = useState<Comparison | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiErrorShape | null>(null)

  useEffect(() => {
    void api.call('training.listRuns', {}).then((r) => setRuns(r.runs))
  }, [version])

  const [chosen, setChosen] = useState<{ runId: number; text: string } | null>(null)
  const active = runs.find((r) => r.id === activeRunId)
  const chooseForChat = async (runId: number, dir: string): Promise<void> => {
    try {
      // Registered when the run finished; adding again returns the same entry.
      const model = await api.call('models.add', { path: dir })
      await api.call('models.select', { id: model.id })
      setChosen({ runId, text: t('runs.chosen', { name: model.name }) })
    } catch (e) {
      setError(apiErrorOf(e))
    }
  }
  const compare = async (): Promise<void> => {
    if (!active) return
    setBusy(true)
    setError(null)
    try {
      setComparison(await api.call('training.compare', { runId: active.id, prompt, maxTokens: 24 }))
    } catch (e) {
      setError(apiErrorOf(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="runs-panel">
      <h2>{t('runs.title')}</h2>
      <table className="runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th>{t('runs.run')}</th>
            <th>{t('runs.status')}</th>
            <th>{t('runs.steps')}</th>
            <th>{t('runs.perplexity')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr
              key={r.id}
              data-testid="run-row"
              onClick={() =>
                void api
                  .call('training.getRun', { runId: r.id })
                  .then((g) => onShow(r.id, g.metrics))
              }
            >
              <td>{r.id}</td>
              <td>{isStatus(r.status) ? t(`status.${r.status}`) : r.status}</td>
              <td>
                {r.step}/{r.totalSteps}
              </td>
              <td>
                {ppl(r.baseValLoss === null ? null : Math.exp(r.baseValLoss))} →{' '}
                {ppl(r.finalValLoss === null ? null : Math.exp(r.finalValLoss))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {active?.status === 'finished' && (
        <div className="trained-model" data-testid="trained-model">
          <p>
            <Trans
              t={t}
              i18nKey="runs.trainedIn"
              values={{ folder: active.outDir }}
              components={{ folder: <code data-testid="trained-folder" /> }}
            />
          </p>
          <button
            data-testid="use-in-chat"
            onClick={() => void chooseForChat(active.id, active.outDir)}
          >
            {t('runs.useInChat')}
          </button>
          {chosen?.runId === active.id && (
            <span data-testid="use-in-chat-done"> {chosen.text}</span>
          )}
        </div>
      )}
      {active?.status === 'finished' && (
        <div className="compare" data-testid="compare-panel">
          <h2>{t('runs.compareTitle')}</h2>
          <input
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            data-testid="compare-prompt"
          />
          <button onClick={() => void compare()} disabled={busy} data-testid="compare-run">
            {busy ? t('runs.generating') : t('runs.compare')}
          </button>
          {error && (
            <p className="train-error">
              <ErrorText code={error.code} message={error.message} />
            </p>
          )}
          {comparison && (
            <div className="compare-columns">
              <div data-testid="compare-base">
                <h3>{t('runs.base', { ppl: ppl(comparison.base.heldOutPerplexity) })}</h3>
                <p>
                  <b>{prompt}</b>
                  {comparison.base.text}
                </p>
              </div>
              <div data-testid="compare-tuned">
                <h3>{t('runs.tuned', { ppl: ppl(comparison.tuned.heldOutPerplexity) })}</h3>
                <p>
                  <b>{prompt}</b>
                  {comparison.tuned.text}
                </p>
              </div>
            </div>
          )}
        </div>
      )}
    </div>
  )
}
