// Getting a model from the Hugging Face hub: a starter list, search, what a model needs before
// downloading it (size, disk, memory, whether it runs here) and the downloads with their
// progress, pause, resume and cancel.
import type { TFunction } from 'i18next'
import { useCallback, useEffect, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import type { DownloadPlan, DownloadProgress, HubModel } from '../../../main/contract/hub'
import { reportError } from '../errors'
import { api } from '../platform'
import { useFormat } from '../i18n/format'
import { HubSettingsPanel } from './HubSettingsPanel'
import { starterModels } from './starterModels'

function eta(s: number | null, t: TFunction<'models'>): string {
  if (s === null) return '…'
  const r = Math.round(s)
  return r >= 60
    ? t('hub.minutes', { m: Math.floor(r / 60), s: r % 60 })
    : t('hub.seconds', { s: r })
}

export function HubPanel(props: { onSettingsChanged?(): void }) {
  const { t } = useTranslation('models')
  const format = useFormat()
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
      <h2>{t('hub.title')}</h2>
      <p className="muted">{t('hub.intro')}</p>
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
      <h3>{t('hub.starters')}</h3>
      <ul className="model-list" data-testid="hub-starters">
        {starterModels.map((s) =>
          repoRow(
            s.repo,
            t('hub.about', { size: format.bytes(s.approxBytes), license: s.license }),
            s.learning ? t('hub.learning') : undefined,
          ),
        )}
      </ul>
      <h3>{t('hub.searchTitle')}</h3>
      <div className="model-add">
        <input
          data-testid="hub-query"
          placeholder={t('hub.searchPlaceholder')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void search()}
        />
        <button data-testid="hub-search" disabled={searching} onClick={() => void search()}>
          {t('hub.search')}
        </button>
      </div>
      {hits && hits.length === 0 && <p data-testid="hub-no-hits">{t('hub.noHits')}</p>}
      <ul className="model-list" data-testid="hub-hits">
        {hits?.map((h) =>
          repoRow(
            h.repo,
            [t('hub.downloads', { count: h.downloads }), ...(h.gated ? [t('hub.gated')] : [])].join(
              ' · ',
            ),
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
  const { t } = useTranslation('models')
  const format = useFormat()
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
            <Trans
              t={t}
              i18nKey="hub.size"
              values={{ size: format.bytes(plan.totalBytes) }}
              components={{ size: <span data-testid="hub-size" /> }}
            />
            {plan.cachedBytes > 0 &&
              ` ${t('hub.cached', { size: format.bytes(plan.cachedBytes) })}`}{' '}
            · {plan.modelType ?? t('hub.unknownType')}
            {plan.license && ` · ${plan.license}`} ·{' '}
            {t('hub.memory', {
              f32: format.bytes(plan.memoryBytes.f32),
              int8: format.bytes(plan.memoryBytes.int8),
              int4: format.bytes(plan.memoryBytes.int4),
            })}{' '}
            ·{' '}
            <span data-testid="hub-runs" className={plan.runnable ? '' : 'warn'}>
              {plan.runnable
                ? t('hub.runsHere')
                : t('hub.doesNotRun', { reasons: plan.reasons.join('; ') })}
            </span>
            {plan.warnings.map((w) => (
              <div key={w} className="warn">
                {t('hub.warning', { text: w })}
              </div>
            ))}
          </div>
        )}
        {p && p.state !== 'done' && (
          <div data-testid="hub-progress" data-state={p.state}>
            <progress value={p.doneBytes} max={p.totalBytes || 1} />{' '}
            <span className="muted">
              {format.bytes(p.doneBytes)} / {format.bytes(p.totalBytes)}
              {running &&
                ` · ${t('hub.speed', { size: format.bytes(p.bytesPerSecond) })} · ${t('hub.eta', { time: eta(p.etaSeconds, t) })}`}
              {p.state === 'paused' && ` · ${t('hub.paused')}`}
              {p.error && ` · ${p.error}`}
            </span>
          </div>
        )}
        {p?.state === 'done' && <div data-testid="hub-done">{t('hub.done')}</div>}
      </div>
      <div className="model-actions">
        {!plan && (
          <button data-testid="hub-details" onClick={props.onPlan}>
            {t('hub.details')}
          </button>
        )}
        {plan?.runnable && !p && (
          <button className="primary" data-testid="hub-download" onClick={props.onDownload}>
            {t('hub.download')}
          </button>
        )}
        {running && (
          <button data-testid="hub-pause" onClick={props.onPause}>
            {t('hub.pause')}
          </button>
        )}
        {resumable && (
          <button className="primary" data-testid="hub-resume" onClick={props.onDownload}>
            {t('hub.resume')}
          </button>
        )}
        {p && p.state !== 'done' && p.error !== 'Cancelled.' && (
          <button data-testid="hub-cancel" onClick={props.onCancel}>
            {t('hub.cancel')}
          </button>
        )}
        {p?.error === 'Cancelled.' && (
          <button data-testid="hub-download" onClick={props.onDownload}>
            {t('hub.downloadAgain')}
          </button>
        )}
      </div>
    </li>
  )
}
