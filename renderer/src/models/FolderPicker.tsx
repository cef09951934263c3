// Browser mode's "choose a folder": a browser cannot hand a page a path, so the host lists
// folders (models.listFolders) and the person walks them from home or a model library.
// Electron keeps its native dialog.
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FolderListing } from '../../../main/contract/hub'
import { reportError } from '../errors'
import { api } from '../platform'
import './models.css'

export function FolderPicker(props: {
  start?: string
  /** Any folder may be chosen (a cache folder), not only one that looks like a model. */
  anyFolder?: boolean
  onPick(path: string): void
  onClose(): void
}) {
  const { t } = useTranslation('models')
  const [listing, setListing] = useState<FolderListing | null>(null)
  const open = useCallback(async (path?: string) => {
    try {
      setListing(await api.call('models.listFolders', path ? { path } : {}))
    } catch (err) {
      reportError(err)
    }
  }, [])
  useEffect(() => {
    api
      .call('models.listFolders', props.start ? { path: props.start } : {})
      .then(setListing, reportError)
  }, [props.start])

  return (
    <div
      className="folder-picker"
      data-testid="folder-picker"
      role="dialog"
      aria-label={t('picker.title')}
    >
      <div className="folder-picker-head">
        <strong>{t('picker.title')}</strong>
        <button data-testid="folder-picker-close" onClick={props.onClose}>
          {t('picker.close')}
        </button>
      </div>
      {listing && (
        <>
          <div className="folder-picker-places">
            {listing.places.map((p) => (
              <button
                key={p.path}
                data-testid="folder-place"
                data-place={p.place}
                onClick={() => void open(p.path)}
              >
                {t(`picker.place.${p.place}`)}
              </button>
            ))}
          </div>
          <div className="folder-picker-path">
            <button
              data-testid="folder-up"
              disabled={listing.parent === null}
              onClick={() => listing.parent && void open(listing.parent)}
            >
              {t('picker.up')}
            </button>{' '}
            <code data-testid="folder-current">{listing.path}</code>{' '}
            <button
              className="primary"
              data-testid="folder-choose"
              disabled={!props.anyFolder && listing.model === null}
              title={!props.anyFolder && listing.model === null ? t('picker.notModel') : undefined}
              onClick={() => props.onPick(listing.path)}
            >
              {props.anyFolder ? t('picker.chooseAny') : t('picker.choose')}
            </button>
          </div>
          {listing.folders.length === 0 && listing.ggufFiles.length === 0 && (
            <p className="muted">{t('picker.empty')}</p>
          )}
          <ul className="folder-picker-list">
            {listing.folders.map((f) => (
              <li key={f.path}>
                <button
                  className="link"
                  data-testid="folder-entry"
                  data-name={f.name}
                  onClick={() => void open(f.path)}
                >
                  {f.name}/
                </button>
                {f.model && <span className="badge accent">{t(`picker.model.${f.model}`)}</span>}
              </li>
            ))}
            {!props.anyFolder &&
              listing.ggufFiles.map((f) => (
                <li key={f.path}>
                  <span>{f.name}</span>{' '}
                  <button data-testid="folder-gguf-add" onClick={() => props.onPick(f.path)}>
                    {t('picker.chooseFile')}
                  </button>
                </li>
              ))}
          </ul>
        </>
      )}
    </div>
  )
}
