// "Test": the selected model decoding on each provider that works here, side by side.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ProviderSpeed } from '../../../main/contract/hardware'
import { reportError } from '../errors'
import { useFormat } from '../i18n/format'
import { api } from '../platform'

export function SpeedTest() {
  const { t } = useTranslation('hardware')
  const format = useFormat()
  const [running, setRunning] = useState(false)
  const [result, setResult] = useState<{ modelName: string; results: ProviderSpeed[] } | null>(null)
  const run = async () => {
    setRunning(true)
    try {
      setResult(await api.call('hardware.benchmark', { tokens: 16 }))
    } catch (err) {
      reportError(err)
    } finally {
      setRunning(false)
    }
  }
  const cpu = result?.results.find((r) => r.provider === 'cpu')?.tokensPerSecond ?? null
  return (
    <div className="speed-test">
      <h2>{t('speed.title')}</h2>
      <p className="muted">{t('speed.intro')}</p>
      <button data-testid="hardware-test" disabled={running} onClick={() => void run()}>
        {running ? t('speed.running') : t('speed.run')}
      </button>
      {result && (
        <table className="providers" data-testid="speed-results">
          <caption>{result.modelName}</caption>
          <thead>
            <tr>
              <th>{t('provider')}</th>
              <th>{t('speed.tokensPerSecond')}</th>
              <th>{t('speed.vsCpu')}</th>
              <th>{t('speed.note')}</th>
            </tr>
          </thead>
          <tbody>
            {result.results.map((r) => (
              <tr key={r.provider} data-testid="speed-row" data-provider={r.provider}>
                <td>{r.provider}</td>
                <td data-testid="speed-value">
                  {r.tokensPerSecond === null ? '—' : format.number(r.tokensPerSecond, 1)}
                </td>
                <td>
                  {r.tokensPerSecond !== null && cpu
                    ? `${format.number(r.tokensPerSecond / cpu, 2)}×`
                    : '—'}
                </td>
                <td className="muted">{r.error ?? r.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
