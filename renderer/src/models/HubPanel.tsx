// Getting a model from the Hugging Face hub: a starter list, search, what a model needs before
// downloading it (size, disk, memory, whether it runs here) and the downloads with their
// progress, pause, resume and cancel.
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DownloadPlan, DownloadProgress, HubModel } from '../../../main/contract/hub'
import { reportError } from '../errors'
import { api } from '../platform'
import { formatBytes } from './formatBytes'
import { HubSettingsPanel } from './HubSettingsPanel'
import { starterModels } from './starterModels'

function eta(s: number | null): string {
  if (s === null) return '…'
  const t = Math.round(s)
  return t >= 60 ? `${Math.floor(t / 60)} min ${t % 60} s` : `${t} s`
}

export function HubPanel(props: { onSettingsChanged?(): void }) {
  const { t } = useTranslation('models')
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<HubModel[] | null>(null)
  const [searching, setSearching] = useState(false)
  const [plans, setPlans] = useState<Record<string, DownloadPlan>>({})
  const [downloads, setDownloads] = useState<Record<string, DownloadProgress>>({})

  useEffect(() => {
    api
      .call('hub.downloads', {})
      .then((list) => setDownloads(Object.fromEntries(list.map((d) => [d.repo, d]))), reportError)
    return api.on('hub.downloadProgress', (p) => setDownloads((d) => ({ ...d, [p.repo]: p })))
  }, [])

  async function search() {
    setSearching(true)
    try {
      setHits(await api.call('hub.search', { query: query.trim(), limit: 20 }))
    } catch (err) {
      reportError(err)
    } finally {
      setSearching(false)
    }
  }

  const plan = useCallback(async (repo: string) => {
    try {
      const p = await api.call('hub.plan', { repo })
      setPlans((all) => ({ ...all, [repo]: p }))
    } catch (err) {
      reportError(err)
    }
  }, [])

  const act = (f: () => Promise<unknown>) => void f().catch(reportError)
  const repoRow = (repo: string, facts: string, note?: string) => (
    <HubRow
      key={repo}
      repo={repo}
      facts={facts}
      note={note}
      plan={plans[repo]}
      progress={downloads[repo]}
      onPlan={() => void plan(repo)}
      onDownload={() => act(() => api.call('hub.download', { repo }))}
      onPause={() => act(() => api.call('hub.pause', { repo }))}
      onCancel={() => act(() => api.call('hub.cancel', { repo }))}
    />
  )

  // Downloads no row above shows: those found unfinished after a restart, or from an old search.
  const shown = new Set([...starterModels.map((s) => s.repo), ...(hits ?? []).map((h) => h.repo)])
  const unfinished = Object.values(downloads).filter(
    (d) => !shown.has(d.repo) && d.state !== 'done' && d.error !== 'Cancelled.',
  )

  return (
    <div className="hub-panel" data-testid="hub-panel">
      <h2>Get a model</h2>
      <p className="muted">
        Downloads go to the Hugging Face cache (shared with Python tools); only the files a model
        needs are fetched.
      </p>
      <HubSettingsPanel onChanged={props.onSettingsChanged} />
      {unfinished.length > 0 && (
        <>
          <h3>{t('unfinished.title')}</h3>
          <ul className="model-list" data-testid="hub-unfinished">
            {unfinished.map((d) =>
              repoRow(d.repo, d.state === 'paused' ? t('unfinished.paused') : d.state),
            )}
          </ul>
        </>
      )}
      <h3>Starters</h3>
      <ul className="model-list" data-testid="hub-starters">
        {starterModels.map((s) =>
          repoRow(
            s.repo,
            `about ${formatBytes(s.approxBytes)} · ${s.license}`,
            s.learning ? 'good for the learning views' : undefined,
          ),
        )}
      </ul>
      <h3>Search the hub</h3>
      <div className="model-add">
        <input
          data-testid="hub-query"
          placeholder="SmolLM2, Qwen2.5, gpt2 …"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void search()}
        />
        <button data-testid="hub-search" disabled={searching} onClick={() => void search()}>
          Search
        </button>
      </div>
      {hits && hits.length === 0 && <p data-testid="hub-no-hits">No model matches.</p>}
      <ul className="model-list" data-testid="hub-hits">
        {hits?.map((h) =>
          repoRow(
            h.repo,
            `${h.downloads} downloads${h.gated ? ' · gated (licence to accept)' : ''}`,
          ),
        )}
      </ul>
    </div>
  )
}

function HubRow(props: {
  repo: string
  facts: string
  note?: string
  plan?: DownloadPlan
  progress?: DownloadProgress
  onPlan(): void
  onDownload(): void
  onPause(): void
  onCancel(): void
}) {
  const { plan, progress: p } = props
  const running = p?.state === 'running'
  const resumable = p?.state === 'paused' || (p?.state === 'failed' && p.error !== 'Cancelled.')
  return (
    <li className="model-row" data-testid="hub-row" data-repo={props.repo}>
      <div className="model-main">
        <strong>{props.repo}</strong>
        {props.note && <span className="badge accent">{props.note}</span>}
        <div className="muted model-facts">{props.facts}</div>
        {plan && (
          <div className="muted" data-testid="hub-plan">
            <span data-testid="hub-size">{formatBytes(plan.totalBytes)}</span> to download
            {plan.cachedBytes > 0 && ` (${formatBytes(plan.cachedBytes)} already here)`} ·{' '}
            {plan.modelType ?? 'unknown type'}
            {plan.license && ` · ${plan.license}`} · memory f32 {formatBytes(plan.memoryBytes.f32)},
            int8 {formatBytes(plan.memoryBytes.int8)}, int4 {formatBytes(plan.memoryBytes.int4)} ·{' '}
            <span data-testid="hub-runs" className={plan.runnable ? '' : 'warn'}>
              {plan.runnable ? 'runs here' : `does not run here: ${plan.reasons.join('; ')}`}
            </span>
            {plan.warnings.map((w) => (
              <div key={w} className="warn">
                Warning: {w}
              </div>
            ))}
          </div>
        )}
        {p && p.state !== 'done' && (
          <div data-testid="hub-progress" data-state={p.state}>
            <progress value={p.doneBytes} max={p.totalBytes || 1} />{' '}
            <span className="muted">
              {formatBytes(p.doneBytes)} / {formatBytes(p.totalBytes)}
              {running && ` · ${formatBytes(p.bytesPerSecond)}/s · ETA ${eta(p.etaSeconds)}`}
              {p.state === 'paused' && ' · paused'}
              {p.error && ` · ${p.error}`}
            </span>
          </div>
        )}
        {p?.state === 'done' && (
          <div data-testid="hub-done">Downloaded and added to your models.</div>
        )}
      </div>
      <div className="model-actions">
        {!plan && (
          <button data-testid="hub-details" onClick={props.onPlan}>
            Details
          </button>
        )}
        {plan?.runnable && !p && (
          <button className="primary" data-testid="hub-download" onClick={props.onDownload}>
            Download
          </button>
        )}
        {running && (
          <button data-testid="hub-pause" onClick={props.onPause}>
            Pause
          </button>
        )}
        {resumable && (
          <button className="primary" data-testid="hub-resume" onClick={props.onDownload}>
            Resume
          </button>
        )}
        {p && p.state !== 'done' && p.error !== 'Cancelled.' && (
          <button data-testid="hub-cancel" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        {p?.error === 'Cancelled.' && (
          <button data-testid="hub-download" onClick={props.onDownload}>
            Download again
          </button>
        )}
      </div>
    </li>
  )
}
