// The Models tab: add a model folder (a typed path; under Electron also Browse…, the native
// dialog, which browser mode has not), list, pick the one chats use, export as GGUF, remove
// (files stay unless a second confirmation says otherwise); below, the models found on disk and
// the hub.
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ModelEntry, ModelsState } from '../../../main/contract/models'
import { reportError } from '../errors'
import { api, pickFolder } from '../platform'
import { formatBytes } from './formatBytes'
import { GgufExportPanel } from './GgufExportPanel'
import { HubPanel } from './HubPanel'
import { OnDiskPanel } from './OnDiskPanel'

export function ModelsView() {
  const [state, setState] = useState<ModelsState | null>(null)
  const [path, setPath] = useState('')
  const [adding, setAdding] = useState(false)

  const refresh = useCallback(() => api.call('models.list', {}).then(setState, reportError), [])
  useEffect(() => {
    void refresh()
    return api.on('models.changed', () => void refresh())
  }, [refresh])

  async function add() {
    if (!path.trim()) return
    setAdding(true)
    try {
      await api.call('models.add', { path: path.trim() })
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
      const folder = await pickFolder()
      if (folder) setPath(folder)
    } catch (err) {
      reportError(err)
    }
  }

  return (
    <section className="models-view" data-testid="view-models">
      <h1>Models</h1>
      <p className="muted">
        A model is a Hugging Face folder with config.json, model.safetensors and tokenizer.json, or
        a .gguf file (llama, mistral, qwen2 or gpt2; any llama.cpp tensor type up to the K-quants).
      </p>
      <div className="model-add">
        <input
          data-testid="model-path"
          placeholder="/path/to/model-folder or model.gguf"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void add()}
        />
        {pickFolder && (
          <button data-testid="model-browse" disabled={adding} onClick={() => void browse()}>
            Browse…
          </button>
        )}
        <button
          className="primary"
          data-testid="model-add"
          disabled={adding || !path.trim()}
          onClick={() => void add()}
        >
          Add model
        </button>
      </div>
      {state && state.models.length === 0 && (
        <p data-testid="models-empty">No models yet: add a folder above.</p>
      )}
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
      <OnDiskPanel />
      <HubPanel />
    </section>
  )
}

function ModelRow(props: {
  model: ModelEntry
  selected: boolean
  loaded: boolean
  onChanged(): void
}) {
  const { model: m } = props
  const { t } = useTranslation('models')
  const broken = m.problem !== null
  // 'forget' asks once; 'files' asks a second time before files are deleted.
  const [confirming, setConfirming] = useState<null | 'forget' | 'files'>(null)
  const [exporting, setExporting] = useState(false)
  const call = async (f: () => Promise<unknown>) => {
    try {
      await f()
      props.onChanged()
    } catch (err) {
      reportError(err)
    }
  }
  return (
    <li
      className={broken ? 'model-row broken' : 'model-row'}
      data-testid="model-row"
      data-model-id={m.id}
    >
      <div className="model-main">
        <strong data-testid="model-name">{m.name}</strong>
        {m.isDefault && <span className="badge">default</span>}
        {props.selected && <span className="badge accent">in use for new chats</span>}
        {props.loaded && <span className="badge">loaded</span>}
        {m.missing && <span className="badge warn">folder missing</span>}
        {broken && <span className="badge warn">{t('broken.badge')}</span>}
        {/* A broken entry's stored facts are what is wrong with it: the reason below says so. */}
        <div className="muted model-facts" data-testid="model-facts" hidden={broken}>
          {m.architecture} · {formatBytes(m.sizeBytes)} · {m.dtype} · quantization {m.quantization}{' '}
          · context {m.contextLength} ·{' '}
          {m.hasChatTemplate ? 'chat template' : 'no chat template (completion mode)'}
        </div>
        <div className="muted model-path">{m.path}</div>
        {m.chatTemplateProblem && (
          <p className="model-warning" data-testid="model-template-problem" role="status">
            {t('templateProblem', { problem: m.chatTemplateProblem })}
          </p>
        )}
        {broken && (
          <p className="model-problem" data-testid="model-problem" role="alert">
            {t('broken.hint', { problem: m.problem ?? '' })}
          </p>
        )}
        {exporting && <GgufExportPanel model={m} onClose={() => setExporting(false)} />}
      </div>
      <div className="model-actions">
        <select
          aria-label="Quantization"
          disabled={broken}
          value={m.quantization}
          onChange={(e) =>
            void call(() =>
              api.call('models.setQuantization', {
                id: m.id,
                quantization: e.target.value as ModelEntry['quantization'],
              }),
            )
          }
        >
          <option value="none">f32</option>
          <option value="int8">int8</option>
          <option value="int4">int4</option>
        </select>
        <button
          data-testid="model-select"
          disabled={props.selected || broken}
          onClick={() => void call(() => api.call('models.select', { id: m.id }))}
        >
          Use
        </button>
        <button
          data-testid="model-export"
          disabled={exporting || m.missing || broken}
          onClick={() => setExporting(true)}
        >
          Export GGUF…
        </button>
        {confirming === null && (
          <button data-testid="model-remove" onClick={() => setConfirming('forget')}>
            Remove
          </button>
        )}
        {confirming === 'forget' && (
          <span className="confirm" data-testid="model-remove-confirm">
            Remove from the list? The files stay.
            <button
              data-testid="model-remove-yes"
              onClick={() => void call(() => api.call('models.remove', { id: m.id }))}
            >
              Remove
            </button>
            {!m.isDefault && (
              <button data-testid="model-remove-files" onClick={() => setConfirming('files')}>
                Also delete files…
              </button>
            )}
            <button onClick={() => setConfirming(null)}>Cancel</button>
          </span>
        )}
        {confirming === 'files' && (
          <span className="confirm danger" data-testid="model-delete-files-confirm">
            Delete {m.path} from disk? This cannot be undone.
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
              Delete files
            </button>
            <button onClick={() => setConfirming(null)}>Cancel</button>
          </span>
        )}
      </div>
    </li>
  )
}
