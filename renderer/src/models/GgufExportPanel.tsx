// "Export GGUF…" for one model: pick a type and a file, watch the tensors go by, see where
// the file went. The export runs in the compute process (models.exportGguf); this only asks
// and shows.
import { useEffect, useState } from 'react'
import type { GgufExportResult, GgufType, ModelEntry } from '../../../main/contract/models'
import { ApiCallError } from '../api/client'
import { reportError } from '../errors'
import { api } from '../platform'
import { formatBytes } from './formatBytes'

const types: { value: GgufType; label: string }[] = [
  { value: 'q8_0', label: 'q8_0 (8-bit, ~1/4 of f32)' },
  { value: 'q4_0', label: 'q4_0 (4-bit, ~1/7 of f32)' },
  { value: 'f16', label: 'f16' },
  { value: 'f32', label: 'f32 (as trained)' },
]

/** <folder>/<name>-<type>.gguf, with the folder's own separator (the renderer has no path). */
export function defaultGgufPath(model: Pick<ModelEntry, 'path' | 'name'>, type: GgufType): string {
  const sep = model.path.includes('\\') && !model.path.includes('/') ? '\\' : '/'
  const folder = model.path.endsWith(sep) ? model.path.slice(0, -1) : model.path
  return `${folder}${sep}${model.name}-${type}.gguf`
}

type Status =
  | { state: 'idle' }
  | { state: 'running'; done: number; total: number }
  | { state: 'done'; result: GgufExportResult }
  | { state: 'failed'; code: string; message: string }

export function GgufExportPanel(props: { model: ModelEntry; onClose(): void }) {
  const { model } = props
  const [type, setType] = useState<GgufType>('q8_0')
  const [outPath, setOutPath] = useState(() => defaultGgufPath(model, 'q8_0'))
  // The path follows the type until the person types their own.
  const [pathEdited, setPathEdited] = useState(false)
  const [status, setStatus] = useState<Status>({ state: 'idle' })

  useEffect(
    () =>
      api.on('models.exportProgress', (p) => {
        if (p.id !== model.id) return
        setStatus((s) => (s.state === 'running' ? { ...s, done: p.done, total: p.total } : s))
      }),
    [model.id],
  )

  function pickType(next: GgufType) {
    setType(next)
    if (!pathEdited) setOutPath(defaultGgufPath(model, next))
  }

  async function run(overwrite: boolean) {
    setStatus({ state: 'running', done: 0, total: 0 })
    try {
      const result = await api.call('models.exportGguf', {
        id: model.id,
        outPath: outPath.trim(),
        type,
        overwrite,
      })
      setStatus({ state: 'done', result })
    } catch (err) {
      const code = err instanceof ApiCallError ? err.code : 'internal'
      setStatus({
        state: 'failed',
        code,
        message: err instanceof Error ? err.message : String(err),
      })
    }
  }

  const running = status.state === 'running'
  return (
    <div className="gguf-export" data-testid="gguf-export">
      <div className="gguf-export-fields">
        <label>
          Type{' '}
          <select
            data-testid="gguf-type"
            value={type}
            disabled={running}
            onChange={(e) => pickType(e.target.value as GgufType)}
          >
            {types.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <input
          data-testid="gguf-path"
          aria-label="Output file"
          value={outPath}
          disabled={running}
          onChange={(e) => {
            setOutPath(e.target.value)
            setPathEdited(true)
          }}
        />
        <button
          className="primary"
          data-testid="gguf-export-run"
          disabled={running || !outPath.trim()}
          onClick={() => void run(false)}
        >
          {running ? 'Exporting…' : 'Export'}
        </button>
        {running ? (
          <button
            data-testid="gguf-cancel"
            onClick={() => void api.call('models.cancelExport', {}).catch(reportError)}
          >
            Cancel
          </button>
        ) : (
          <button onClick={props.onClose}>Close</button>
        )}
      </div>
      {status.state === 'running' && (
        <div className="muted" data-testid="gguf-progress">
          {status.total ? `${status.done} / ${status.total} tensors` : 'Reading the weights…'}
          <progress value={status.done} max={status.total || 1} />
        </div>
      )}
      {status.state === 'done' && (
        <div data-testid="gguf-result">
          Wrote <code>{status.result.path}</code>: {formatBytes(status.result.sizeBytes)},{' '}
          {status.result.tensors} tensors, {status.result.architecture} {status.result.type}, in{' '}
          {status.result.seconds.toFixed(1)} s. llama.cpp, Ollama and LM Studio load it.
        </div>
      )}
      {status.state === 'failed' && (
        <div className="gguf-error" role="alert" data-testid="gguf-error">
          {status.message}
          {status.code === 'needs_confirmation' && (
            <button data-testid="gguf-overwrite" onClick={() => void run(true)}>
              Replace it
            </button>
          )}
        </div>
      )}
    </div>
  )
}
