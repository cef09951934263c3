// The hub's token and cache folder. The token goes one way: typed here, saved by the server,
// never read back (the server says only where the token in use comes from).
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { HubSettings } from '../../../main/contract/hub'
import { reportError } from '../errors'
import { api, pickFolder } from '../platform'
import { FolderPicker } from './FolderPicker'

export function HubSettingsPanel(props: { onChanged?(): void }) {
  const { t } = useTranslation('models')
  const [settings, setSettings] = useState<HubSettings | null>(null)
  const [token, setToken] = useState('')
  const [cacheDraft, setCacheDraft] = useState<string | null>(null)
  const [picking, setPicking] = useState(false)

  useEffect(() => {
    api.call('hub.settings', {}).then(setSettings, reportError)
  }, [])

  const apply = async (f: () => Promise<HubSettings>, after?: () => void) => {
    try {
      setSettings(await f())
      after?.()
      props.onChanged?.()
    } catch (err) {
      reportError(err)
    }
  }

  if (!settings) return null
  return (
    <div className="hub-settings" data-testid="hub-settings">
      <h3>{t('hubSettings.title')}</h3>
      <div className="model-add">
        <label htmlFor="hub-token">{t('hubSettings.tokenLabel')}</label>
        <input
          id="hub-token"
          type="password"
          autoComplete="off"
          data-testid="hub-token"
          placeholder={t('hubSettings.tokenPlaceholder')}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <button
          data-testid="hub-token-save"
          disabled={!token.trim()}
          onClick={() =>
            void apply(
              () => api.call('hub.saveToken', { token: token.trim() }),
              () => setToken(''),
            )
          }
        >
          {t('hubSettings.save')}
        </button>
        {settings.tokenSaved && (
          <button
            data-testid="hub-token-clear"
            onClick={() => void apply(() => api.call('hub.clearToken', {}))}
          >
            {t('hubSettings.clear')}
          </button>
        )}
      </div>
      <p className="muted" data-testid="hub-token-source" data-source={settings.tokenSource}>
        {t(`hubSettings.source.${settings.tokenSource}`)}{' '}
        {settings.tokenSaved &&
          (settings.tokenSource === 'env'
            ? t('hubSettings.envWins')
            : settings.tokenEncrypted
              ? t('hubSettings.savedEncrypted')
              : t('hubSettings.savedFile'))}
      </p>
      <div className="model-add">
        <span>{t('hubSettings.cacheLabel')}:</span>
        {cacheDraft === null ? (
          <>
            <code data-testid="hub-cache-dir">{settings.cacheDir}</code>
            <span className="muted">
              ({t(`hubSettings.cacheSource.${settings.cacheDirSource}`)})
            </span>
            <button data-testid="hub-cache-change" onClick={() => setCacheDraft(settings.cacheDir)}>
              {t('hubSettings.cacheChange')}
            </button>
            {settings.cacheDirSource === 'setting' && (
              <button
                data-testid="hub-cache-reset"
                onClick={() => void apply(() => api.call('hub.setCacheDir', { path: null }))}
              >
                {t('hubSettings.cacheReset')}
              </button>
            )}
          </>
        ) : (
          <>
            <input
              data-testid="hub-cache-input"
              value={cacheDraft}
              onChange={(e) => setCacheDraft(e.target.value)}
            />
            <button
              className="primary"
              data-testid="hub-cache-save"
              disabled={!cacheDraft.trim()}
              onClick={() =>
                void apply(
                  () => api.call('hub.setCacheDir', { path: cacheDraft.trim() }),
                  () => setCacheDraft(null),
                )
              }
            >
              {t('hubSettings.cacheSave')}
            </button>
            <button
              data-testid="hub-cache-browse"
              onClick={() =>
                pickFolder
                  ? void pickFolder({
                      title: t('hubSettings.cacheLabel'),
                      buttonLabel: t('hubSettings.cacheSave'),
                    }).then((dir) => dir && setCacheDraft(dir), reportError)
                  : setPicking(true)
              }
            >
              {t('hubSettings.cacheBrowse')}
            </button>
            <button onClick={() => setCacheDraft(null)}>{t('hubSettings.cancel')}</button>
          </>
        )}
      </div>
      {picking && cacheDraft !== null && (
        <FolderPicker
          anyFolder
          onClose={() => setPicking(false)}
          onPick={(dir) => {
            setPicking(false)
            setCacheDraft(dir)
          }}
        />
      )}
      {settings.proxy && <p className="muted">{t('hubSettings.proxy')}</p>}
    </div>
  )
}
