import type { TFunction } from 'i18next'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiCallError } from '../api/client'
import { apiErrorOf } from '../errors'
import { ProblemText, type Problem } from '../ErrorText'
import { api } from '../platform'
import type { MethodOutput } from '../../../main/contract'
import type { TrainingSettings } from '../../../main/contract/training'
import { DropZone, toBase64 } from './DropZone'
import { LossChart, type LossPoint } from './LossChart'
import { RunsPanel } from './RunsPanel'
import { isStatus } from './runStatus'
import './training.css'
import { Select } from '../ui/Select'

type Verdict = MethodOutput<'training.inspectFiles'>['files'][number]
type Plan = MethodOutput<'training.planRun'>
type Progress = {
  step: number
  totalSteps: number
  tokensPerSecond: number
  etaSeconds: number
  trainLoss: number
}

const eta = (s: number, t: TFunction<'train'>): string =>
  Number.isFinite(s) ? t('duration', { m: Math.floor(s / 60), s: Math.round(s % 60) }) : '…'

/** What the view opens on instead of its defaults (a Learn chapter's live view). */
export interface TrainPreset {
  /** without it: the shipped model */
  modelDir?: string
  files: { name: string; text: string }[]
  settings?: Partial<TrainingSettings>
}

export function TrainView({ preset }: { preset?: TrainPreset }) {
  const { t } = useTranslation('train')
  const [modelDir, setModelDir] = useState('')
  const [settings, setSettings] = useState<TrainingSettings | null>(null)
  const [files, setFiles] = useState<Verdict[]>([])
  const [plan, setPlan] = useState<Plan | null>(null)
  const [runId, setRunId] = useState<number | null>(null)
  const [status, setStatus] = useState<string>('')
  const [progress, setProgress] = useState<Progress | null>(null)
  const [points, setPoints] = useState<LossPoint[]>([])
  const [historyVersion, setHistoryVersion] = useState(0)
  const [error, setError] = useState<Problem | null>(null)
  const [outDir, setOutDir] = useState('')

  const loadDefaults = useCallback(
    (dir?: string): Promise<void> =>
      api
        .call('training.defaultSettings', dir ? { modelDir: dir } : {})
        .then((d) => {
          setModelDir(d.modelDir)
          setSettings(d.settings)
        })
        .catch((e: unknown) => setError(apiErrorOf(e))),
    [],
  )

  useEffect(() => {
    let live = true
    api
      .call('training.defaultSettings', preset?.modelDir ? { modelDir: preset.modelDir } : {})
      .then((d) => {
        if (!live) return
        setModelDir(d.modelDir)
        setSettings({ ...d.settings, ...preset?.settings })
      })
      .catch((e: unknown) => live && setError(apiErrorOf(e)))
    return () => {
      live = false
    }
  }, [preset])

  // A preset's texts go through the same route as dropped files.
  useEffect(() => {
    if (!preset?.files.length) return
    let live = true
    void Promise.all(
      preset.files.map(async (f) => ({
        name: f.name,
        dataBase64: await toBase64(new File([f.text], f.name)),
      })),
    )
      .then((files) => api.call('training.addFiles', { files }))
      .then((r) => live && setFiles(r.files))
      .catch((e: unknown) => live && setError(apiErrorOf(e)))
    return () => {
      live = false
    }
  }, [preset])

  useEffect(() => {
    const offProgress = api.on('training.progress', (p) => {
      if (p.runId !== runId) return
      setProgress(p)
      setPoints((prev) => [
        ...prev.filter((x) => x.step < p.step),
        { step: p.step, trainLoss: p.trainLoss, valLoss: p.valLoss },
      ])
    })
    const offStatus = api.on('training.status', (s) => {
      if (s.runId !== runId) return
      setStatus(s.status)
      if (s.message) setError({ note: s.message })
      if (['finished', 'stopped', 'failed'].includes(s.status)) setHistoryVersion((v) => v + 1)
    })
    return () => {
      offProgress()
      offStatus()
    }
  }, [runId])

  // The question in the interface's language, then the back end's own account of what is at stake.
  const confirmText = (detail: string) =>
    `${t('errors.needs_confirmation', { ns: 'common' })}\n\n${detail}`
  const accepted = files.filter((f) => f.status === 'accepted').map((f) => f.path)
  const guard = (f: () => Promise<void>) => () =>
    void f().catch((e: unknown) => setError(apiErrorOf(e)))

  const onDropped = (dropped: { name: string; dataBase64: string }[]): void =>
    guard(async () => {
      const r = await api.call('training.addFiles', { files: dropped })
      setFiles((prev) => [...prev, ...r.files])
      setPlan(null)
    })()

  const set = <K extends keyof TrainingSettings>(key: K, value: TrainingSettings[K]): void =>
    setSettings((s) => (s ? { ...s, [key]: value } : s))

  if (!settings) {
    return (
      <section className="train-view" data-testid="view-train">
        <p>{error ? <ProblemText problem={error} /> : t('loading')}</p>
      </section>
    )
  }

  const running = status === 'running' || status === 'preparing'
  return (
    <section className="train-view" data-testid="view-train">
      <div className="train-left">
        <h1>{t('title')}</h1>
        <label>
          {t('modelFolder')}
          <input
            value={modelDir}
            onChange={(e) => setModelDir(e.target.value)}
            onBlur={() => void loadDefaults(modelDir)}
            data-testid="model-dir"
          />
        </label>
        <DropZone onFiles={onDropped} />
        <ul className="file-list" data-testid="file-list">
          {files.map((f) => (
            <li
              key={f.path}
              className={`file-${f.status}`}
              data-testid="file-row"
              data-status={f.status}
            >
              <span className="file-name">{f.path.split(/[\\/]/).pop()}</span>
              <span className="file-verdict">
                {f.status === 'accepted'
                  ? t('chars', { count: f.chars })
                  : `${t(`fileStatus.${f.status}`)}: ${f.reason}`}
              </span>
            </li>
          ))}
        </ul>
        <fieldset className="train-settings">
          <legend>{t('settings')}</legend>
          <label>
            {t('mode')}
            <Select
              value={settings.mode}
              onChange={(mode) => set('mode', mode)}
              testId="mode"
              options={[
                { value: 'full', label: t('modeFull') },
                { value: 'lora', label: t('modeLora') },
              ]}
            />
          </label>
          {settings.mode === 'lora' && (
            <>
              <label>
                {t('loraRank')}
                <input
                  type="number"
                  value={settings.loraRank}
                  onChange={(e) => set('loraRank', Number(e.target.value))}
                />
              </label>
              <label>
                {t('loraDropout')}
                <input
                  type="number"
                  step="0.05"
                  value={settings.loraDropout}
                  onChange={(e) => set('loraDropout', Number(e.target.value))}
                />
              </label>
            </>
          )}
          <label>
            {t('steps')}
            <input
              type="number"
              value={settings.maxSteps}
              onChange={(e) => set('maxSteps', Number(e.target.value))}
              data-testid="max-steps"
            />
          </label>
          <label>
            {t('epochs')}
            <input
              type="number"
              value={settings.epochs}
              onChange={(e) => set('epochs', Number(e.target.value))}
            />
          </label>
          <label>
            {t('batch')}
            <input
              type="number"
              value={settings.batchSize}
              onChange={(e) => set('batchSize', Number(e.target.value))}
              data-testid="batch-size"
            />
          </label>
          <label>
            {t('seqLen')}
            <input
              type="number"
              value={settings.seqLen}
              onChange={(e) => set('seqLen', Number(e.target.value))}
              data-testid="seq-len"
            />
          </label>
          <label>
            {t('learningRate')}
            <input
              type="number"
              step="0.0001"
              value={settings.learningRate}
              onChange={(e) => set('learningRate', Number(e.target.value))}
            />
          </label>
        </fieldset>
        <label className="train-out">
          {t('outDir')}
          <input
            value={outDir}
            placeholder={t('outDirPlaceholder')}
            onChange={(e) => setOutDir(e.target.value)}
            data-testid="train-out"
          />
        </label>
        <div className="train-actions">
          <button
            disabled={!accepted.length}
            data-testid="plan-run"
            onClick={guard(async () =>
              setPlan(await api.call('training.planRun', { modelDir, paths: accepted, settings })),
            )}
          >
            {t('estimate')}
          </button>
          <button
            disabled={!accepted.length || running}
            data-testid="start-run"
            onClick={guard(async () => {
              setPoints([])
              setProgress(null)
              setError(null)
              const input = { modelDir, paths: accepted, settings, outDir: outDir || undefined }
              const r = await api.call('training.startRun', input).catch(async (e: unknown) => {
                // A picked folder that holds files: write there only if the person says so.
                if (
                  e instanceof ApiCallError &&
                  e.code === 'needs_confirmation' &&
                  confirm(confirmText(e.message))
                ) {
                  return api.call('training.startRun', { ...input, confirmOverwrite: true })
                }
                throw e
              })
              setRunId(r.runId)
              setStatus('preparing')
            })}
          >
            {t('start')}
          </button>
        </div>
        {plan && (
          <p className="train-plan" data-testid="plan">
            {t('plan', {
              tokens: plan.tokens,
              steps: plan.steps,
              time: eta(plan.estimatedSeconds, t),
            })}
          </p>
        )}
        {error && (
          <p className="train-error" data-testid="train-error">
            <ProblemText problem={error} />
          </p>
        )}
      </div>
      <div className="train-right">
        {runId !== null && (
          <div className="run-progress" data-testid="run-progress" data-status={status}>
            <progress max={progress?.totalSteps ?? 1} value={progress?.step ?? 0} />
            <span data-testid="run-status">
              {t('runStatus', {
                id: runId,
                status: isStatus(status) ? t(`status.${status}`) : status,
              })}
              {progress &&
                ` — ${t('runProgress', {
                  step: progress.step,
                  total: progress.totalSteps,
                  speed: progress.tokensPerSecond,
                  time: eta(progress.etaSeconds, t),
                })}`}
            </span>
            <div className="run-buttons">
              <button
                data-testid="pause-run"
                disabled={status !== 'running'}
                onClick={guard(async () => void (await api.call('training.pauseRun', { runId })))}
              >
                {t('pause')}
              </button>
              <button
                data-testid="resume-run"
                disabled={!['paused', 'stopped', 'failed'].includes(status)}
                onClick={guard(async () => {
                  await api.call('training.resumeRun', { runId }).catch(async (e: unknown) => {
                    // The files changed since the checkpoint: go on only if the person says so.
                    if (
                      e instanceof ApiCallError &&
                      e.code === 'needs_confirmation' &&
                      confirm(confirmText(e.message))
                    ) {
                      return api.call('training.resumeRun', { runId, acceptChangedData: true })
                    }
                    throw e
                  })
                })}
              >
                {t('resume')}
              </button>
              <button
                data-testid="cancel-run"
                disabled={!running && status !== 'paused'}
                onClick={guard(async () => void (await api.call('training.cancelRun', { runId })))}
              >
                {t('cancel')}
              </button>
            </div>
          </div>
        )}
        <LossChart points={points} />
        <RunsPanel
          version={historyVersion}
          activeRunId={runId}
          onShow={(id, metrics) => {
            setRunId(id)
            setPoints(metrics)
          }}
        />
      </div>
    </section>
  )
}
