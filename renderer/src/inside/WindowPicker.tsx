// For a text longer than the model reads at once: which window of it is analysed, and a picker
// to analyse another (instead of refusing with "512 tokens exceed the model's context").
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Inspection } from '../../../main/contract/inspect'

interface Props {
  inspection: Inspection
  busy: boolean
  onAnalyse(start: number): void
}

export function WindowPicker({ inspection, busy, onAnalyse }: Props) {
  const { t, i18n } = useTranslation('inside')
  const { totalTokens, seqLen, windowStart } = inspection
  const size = inspection.windowLimit ?? seqLen
  const last = Math.max(0, totalTokens - size)
  // Keyed by the analysis, so a new one starts the picker where it is.
  const [picked, setPicked] = useState({ key: inspection.key, start: windowStart })
  const start = picked.key === inspection.key ? picked.start : windowStart
  const set = (v: number) =>
    setPicked({ key: inspection.key, start: Math.max(0, Math.min(last, Math.round(v) || 0)) })
  const n = (x: number) => x.toLocaleString(i18n.language)
  return (
    <div className="inside-window" data-testid="inside-window">
      <p data-testid="inside-window-text">
        {t('window.showing', {
          from: n(windowStart + 1),
          to: n(windowStart + seqLen),
          total: n(totalTokens),
          size: n(size),
        })}
      </p>
      <label>
        {t('window.start')}{' '}
        <input
          type="range"
          min={0}
          max={last}
          value={start}
          disabled={busy}
          aria-label={t('window.start')}
          onChange={(e) => set(Number(e.target.value))}
        />
        <input
          type="number"
          min={0}
          max={last}
          value={start}
          disabled={busy}
          data-testid="inside-window-start"
          onChange={(e) => set(Number(e.target.value))}
        />
      </label>
      <button disabled={busy || start === 0} onClick={() => set(start - size)}>
        {t('window.earlier')}
      </button>
      <button disabled={busy || start >= last} onClick={() => set(start + size)}>
        {t('window.later')}
      </button>
      <button
        className="primary"
        data-testid="inside-window-run"
        disabled={busy || start === windowStart}
        onClick={() => onAnalyse(start)}
      >
        {t('window.analyse')}
      </button>
    </div>
  )
}
