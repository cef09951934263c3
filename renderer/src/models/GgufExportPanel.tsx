// "Export GGUF…" for one model: pick a type and a file, watch the tensors go by, see where
// the file went. The export runs in the compute process (models.exportGguf); this only asks
// and shows.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { GgufExportResult, GgufType, ModelEntry } from '../../../main/contract/models'
import type { ErrorCode } from '../../../main/contract/define'
import { ErrorText } from '../ErrorText'
import { apiErrorOf, reportError } from '../errors'
import { useFormat } from '../i18n/format'
import { api } from '../platform'
import { Select } from '../ui/Select'

// Labels are gguf.typeLabel.<type> in the models catalogue.
const types: GgufType[] = ['q8_0', 'q4_0', 'f16', 'f32']

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
  | { state: 'failed'; code: ErrorCode; message: string }

export function GgufExportPanel(props: { model: ModelEntry; onClose(): void }) {
  const { t } = useTranslation('models')
  const format = useFormat()
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
      setStatus({ state: 'failed', ...apiErrorOf(err) })
    }
  }

  const running = status.state === 'running'
  return (
    <div className="gguf-export" data-testid="gguf-export">
      <div className="gguf-export-fields">
        <label>
          {t('gguf.type')}{' '}
          <Select
            testId="gguf-type"
            value={type}
            disabled={running}
            onChange={pickType}
            options={types.map((value) => ({ value, label: t(`gguf.typeLabel.${value}`) }))}
          />
        </label>
        <input
          data-testid="gguf-path"
          aria-label={t('gguf.outputFile')}
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
          {running ? t('gguf.exporting') : t('gguf.export')}
        </button>
        {running ? (
          <button
            data-testid="gguf-cancel"
            onClick={() => void api.call('models.cancelExport', {}).catch(reportError)}
          >
            {t('gguf.cancel')}
          </button>
        ) : (
          <button onClick={props.onClose}>{t('gguf.close')}</button>
        )}
      </div>
      {status.state === 'running' && (
        <div className="muted" data-testid="gguf-progress">
          {status.total
            ? t('gguf.progress', { done: status.done, total: status.total })
            : t('gguf.reading')}
          <progress value={status.done} max={status.total || 1} />
        </div>
      )}
      {status.state === 'done' && (
        <div data-testid="gguf-result">
          {t('gguf.wrote')} <code>{status.result.path}</code>:{' '}
          {t('gguf.result', {
            size: format.bytes(status.result.sizeBytes),
            tensors: status.result.tensors,
            architecture: status.result.architecture,
            type: status.result.type,
            seconds: format.number(status.result.seconds, 1),
          })}
        </div>
      )}
      {status.state === 'failed' && (
        <div className="gguf-error" role="alert" data-testid="gguf-error">
          <ErrorText code={status.code} message={status.message} />
          {status.code === 'needs_confirmation' && (
            <button data-testid="gguf-overwrite" onClick={() => void run(true)}>
              {t('gguf.replace')}
            </button>
          )}
        </div>
      )}
    </div>
  )
}
