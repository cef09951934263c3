// The Models tab: add a model folder (a typed path; Browse… opens Electron's native dialog,
// or in a browser the server-side folder picker), list, rename, pick the one chats use, export as GGUF, remove
// (files stay unless a second confirmation says otherwise); below, the models found on disk and
// the hub.
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ModelEntry, ModelsState } from '../../../main/contract/models'
import { reportError } from '../errors'
import { api, pickFolder } from '../platform'
import { FolderPicker } from './FolderPicker'
import { useFormat } from '../i18n/format'
import { GgufExportPanel } from './GgufExportPanel'
import { HubPanel } from './HubPanel'
import { OnDiskPanel } from './OnDiskPanel'
import { Select } from '../ui/Select'

export function ModelsView() {
  const { t } = useTranslation('models')
  const [state, setState] = useState<ModelsState | null>(null)
  const [path, setPath] = useState('')
  const [adding, setAdding] = useState(false)
  const [picking, setPicking] = useState(false)
  const [libraryVersion, setLibraryVersion] = useState(0)

  const refresh = useCallback(() => api.call('models.list', {}).then(setState, reportError), [])
  useEffect(() => {
    void refresh()
    return api.on('models.changed', () => void refresh())
  }, [refresh])

  async function add(folder = path) {
    if (!folder.trim()) return
    setAdding(true)
    try {
      await api.call('models.add', { path: folder.trim() })
      setPath('')
      await refresh()
    } catch (err) {
      reportError(err)
    } finally {
      setAdding(false)
    }
  }

  async function browse() {
    if (!pickFolder) return
    try {
      const folder = await pickFolder({
        title: t('dialog.title'),
        buttonLabel: t('dialog.button'),
      })
      if (folder) setPath(folder)
    } catch (err) {
      reportError(err)
    }
  }

  return (
    <section className="models-view" data-testid="view-models">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <div className="model-add">
        <input
          data-testid="model-path"
          placeholder={t('pathPlaceholder')}
          value={path}
          onChange={(e) => setPath(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void add()}
        />
        {pickFolder ? (
          <button data-testid="model-browse" disabled={adding} onClick={() => void browse()}>
            {t('browse')}
          </button>
        ) : (
          <button data-testid="model-pick" disabled={adding} onClick={() => setPicking(true)}>
            {t('picker.open')}
          </button>
        )}
        <button
          className="primary"
          data-testid="model-add"
          disabled={adding || !path.trim()}
          onClick={() => void add()}
        >
          {t('add')}
        </button>
      </div>
      {picking && (
        <FolderPicker
          onClose={() => setPicking(false)}
          onPick={(folder) => {
            setPicking(false)
            void add(folder)
          }}
        />
      )}
      {state && state.models.length === 0 && <p data-testid="models-empty">{t('empty')}</p>}
      <ul className="model-list">
        {state?.models.map((m) => (
          <ModelRow
            key={m.id}
            model={m}
            selected={state.selectedId === m.id}
            loaded={state.loadedId === m.id}
            onChanged={refresh}
          />
        ))}
      </ul>
      <OnDiskPanel version={libraryVersion} />
      <HubPanel onSettingsChanged={() => setLibraryVersion((v) => v + 1)} />
    </section>
  )
}

const QUANTIZATIONS: { value: ModelEntry['quantization']; label: string }[] = [
  { value: 'none', label: 'f32' },
  { value: 'int8', label: 'int8' },
  { value: 'int4', label: 'int4' },
]

function ModelRow(props: {
  model: ModelEntry
  selected: boolean
  loaded: boolean
  onChanged(): void
}) {
  const { t } = useTranslation('models')
  const format = useFormat()
  const { model: m } = props
  // 'forget' asks once; 'files' asks a second time before files are deleted.
  const [confirming, setConfirming] = useState<null | 'forget' | 'files'>(null)
  const [exporting, setExporting] = useState(false)
  const [renaming, setRenaming] = useState<string | null>(null)
  const call = async (f: () => Promise<unknown>) => {
    try {
      await f()
      props.onChanged()
    } catch (err) {
      reportError(err)
    }
  }
  return (
    <li className="model-row" data-testid="model-row" data-model-id={m.id}>
      <div className="model-main">
        {renaming === null ? (
          <strong data-testid="model-name">{m.name}</strong>
        ) : (
          <form
            className="model-rename"
            onSubmit={(e) => {
              e.preventDefault()
              if (!renaming.trim()) return
              void call(() => api.call('models.rename', { id: m.id, name: renaming.trim() })).then(
                () => setRenaming(null),
              )
            }}
          >
            <input
              aria-label={t('rename.label')}
              data-testid="model-rename-input"
              autoFocus
              value={renaming}
              onChange={(e) => setRenaming(e.target.value)}
            />
            <button type="submit" data-testid="model-rename-save" disabled={!renaming.trim()}>
              {t('rename.save')}
            </button>
            <button type="button" onClick={() => setRenaming(null)}>
              {t('rename.cancel')}
            </button>
          </form>
        )}
        {m.isDefault && <span className="badge">{t('row.default')}</span>}
        {props.selected && <span className="badge accent">{t('row.inUse')}</span>}
        {props.loaded && <span className="badge">{t('row.loaded')}</span>}
        {m.missing && <span className="badge warn">{t('row.missing')}</span>}
        <div className="muted model-facts" data-testid="model-facts">
          {[
            m.architecture,
            format.bytes(m.sizeBytes),
            m.dtype,
            m.quantization === 'none'
              ? t('row.noQuantization')
              : t('row.quantization', { value: m.quantization }),
            t('row.context', { count: m.contextLength }),
            m.hasChatTemplate ? t('row.chatTemplate') : t('row.noChatTemplate'),
          ].join(' · ')}
        </div>
        <div className="muted model-path">{m.path}</div>
        {exporting && <GgufExportPanel model={m} onClose={() => setExporting(false)} />}
      </div>
      <div className="model-actions">
        <Select
          ariaLabel={t('row.quantizationLabel')}
          value={m.quantization}
          onChange={(quantization) =>
            void call(() => api.call('models.setQuantization', { id: m.id, quantization }))
          }
          options={QUANTIZATIONS}
        />
        <button
          data-testid="model-select"
          disabled={props.selected}
          onClick={() => void call(() => api.call('models.select', { id: m.id }))}
        >
          {t('row.use')}
        </button>
        <button
          data-testid="model-rename"
          disabled={renaming !== null}
          onClick={() => setRenaming(m.name)}
        >
          {t('rename.button')}
        </button>
        <button
          data-testid="model-export"
          disabled={exporting || m.missing}
          onClick={() => setExporting(true)}
        >
          {t('row.export')}
        </button>
        {confirming === null && (
          <button data-testid="model-remove" onClick={() => setConfirming('forget')}>
            {t('row.remove')}
          </button>
        )}
        {confirming === 'forget' && (
          <span className="confirm" data-testid="model-remove-confirm">
            {t('row.removeConfirm')}
            <button
              data-testid="model-remove-yes"
              onClick={() => void call(() => api.call('models.remove', { id: m.id }))}
            >
              {t('row.remove')}
            </button>
            {!m.isDefault && (
              <button data-testid="model-remove-files" onClick={() => setConfirming('files')}>
                {t('row.alsoDeleteFiles')}
              </button>
            )}
            <button onClick={() => setConfirming(null)}>{t('row.cancel')}</button>
          </span>
        )}
        {confirming === 'files' && (
          <span className="confirm danger" data-testid="model-delete-files-confirm">
            {t('row.deleteFilesConfirm', { path: m.path })}
            <button
              className="danger"
              data-testid="model-delete-files-yes"
              onClick={() =>
                void call(() =>
                  api.call('models.remove', {
                    id: m.id,
                    deleteFiles: true,
                    confirmDeleteFiles: true,
                  }),
                )
              }
            >
              {t('row.deleteFiles')}
            </button>
            <button onClick={() => setConfirming(null)}>{t('row.cancel')}</button>
          </span>
        )}
      </div>
    </li>
  )
}
