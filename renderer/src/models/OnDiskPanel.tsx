// Models already on this computer (the Hugging Face cache, LM Studio, Ollama), listed where
// they lie; one that runs here is added to the list without copying it.
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DiscoveredModel } from '../../../main/contract/hub'
import { reportError } from '../errors'
import { api } from '../platform'
import { useFormat } from '../i18n/format'

/** version: bumped when the hub cache folder changes, so the list is read again. */
export function OnDiskPanel(props: { version?: number }) {
  const { t } = useTranslation('models')
  const format = useFormat()
  const [found, setFound] = useState<DiscoveredModel[] | null>(null)
  const refresh = useCallback(() => api.call('models.discover', {}).then(setFound, reportError), [])
  useEffect(() => {
    void refresh()
    return api.on('models.changed', () => void refresh())
  }, [refresh, props.version])
  if (!found || found.length === 0) return null
  return (
    <div className="on-disk" data-testid="on-disk">
      <h2>{t('onDisk.title')}</h2>
      <ul className="model-list">
        {found.map((d) => (
          <li className="model-row" key={d.path} data-testid="on-disk-row">
            <div className="model-main">
              <strong>{d.name}</strong>{' '}
              <span className="badge">{t(`onDisk.source.${d.source}`)}</span>
              <div className="muted model-facts">
                {d.format} · {format.bytes(d.sizeBytes)} ·{' '}
                {d.runnable ? t('onDisk.runsHere') : d.reason}
              </div>
              <div className="muted model-path">{d.path}</div>
            </div>
            <div className="model-actions">
              {d.runnable && (
                <button
                  data-testid="on-disk-add"
                  onClick={() =>
                    void api.call('models.add', { path: d.path }).then(() => refresh(), reportError)
                  }
                >
                  {t('onDisk.add')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}
