import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SpaceProjection, SpaceSource } from '../../../main/contract/space'
import { Select } from '../ui/Select'
import { useFormat } from '../i18n/format'

interface Props {
  source: SpaceSource
  onSource: (source: SpaceSource) => void
  projection: SpaceProjection
  onProjection: (projection: SpaceProjection) => void
  /** Filter: draw only the N most frequent points. */
  visible: number
  count: number
  onVisible: (n: number) => void
  columns: string[]
  colorBy: string | null
  onColorBy: (column: string | null) => void
  explained: number[] | null
}

// Axis names read the same in every language.
const AXIS_NAMES = ['x', 'y', 'z'] as const

function words(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((w) => w.trim())
    .filter(Boolean)
}

/** Source, projection (PCA / UMAP / custom axes), 2D/3D, point filter and colouring. */
export function SpaceControls(props: Props) {
  const { t } = useTranslation('space')
  const format = useFormat()
  const { source, projection, count } = props
  const [tsvPath, setTsvPath] = useState('')
  const [metaPath, setMetaPath] = useState('')
  const [modelDir, setModelDir] = useState('')
  const [axes, setAxes] = useState(['man', 'woman', 'king', 'queen', '', ''])
  const [umapN, setUmapN] = useState(2000)

  const customAxes = () =>
    [0, 1, 2]
      .map((i) => ({ from: words(axes[i * 2]), to: words(axes[i * 2 + 1]) }))
      .filter((a) => a.from.length > 0 && a.to.length > 0)

  return (
    <div className="space-controls">
      <label>
        {t('controls.source')}{' '}
        <Select
          testId="space-source"
          value={source.kind}
          onChange={(kind) => {
            if (kind === 'glove') props.onSource({ kind: 'glove' })
            if (kind === 'model') props.onSource({ kind: 'model', modelDir: modelDir || undefined })
          }}
          options={[
            { value: 'glove', label: t('controls.glove') },
            { value: 'model', label: t('controls.model') },
            { value: 'tsv', label: t('controls.tsv'), disabled: true },
          ]}
        />
      </label>
      <details>
        <summary>{t('controls.otherSources')}</summary>
        <input
          placeholder={t('controls.modelFolder')}
          value={modelDir}
          onChange={(e) => setModelDir(e.target.value)}
        />
        <button onClick={() => props.onSource({ kind: 'model', modelDir: modelDir || undefined })}>
          {t('controls.openModel')}
        </button>
        <input
          placeholder={t('controls.vectorsPath')}
          value={tsvPath}
          onChange={(e) => setTsvPath(e.target.value)}
        />
        <input
          placeholder={t('controls.metadataPath')}
          value={metaPath}
          onChange={(e) => setMetaPath(e.target.value)}
        />
        <button
          disabled={!tsvPath.trim()}
          onClick={() =>
            props.onSource({
              kind: 'tsv',
              vectorsPath: tsvPath.trim(),
              metadataPath: metaPath.trim() || undefined,
            })
          }
        >
          {t('controls.importTsv')}
        </button>
      </details>
      <label>
        {t('controls.projection')}{' '}
        <Select
          testId="space-projection"
          value={projection.method}
          onChange={(method) => {
            if (method === 'custom')
              props.onProjection({ ...projection, method, axes: customAxes(), topN: undefined })
            else if (method === 'umap') props.onProjection({ ...projection, method, topN: umapN })
            else props.onProjection({ ...projection, method, topN: undefined })
          }}
          options={[
            { value: 'pca', label: t('controls.pca') },
            { value: 'umap', label: t('controls.umap') },
            { value: 'custom', label: t('controls.custom') },
          ]}
        />
      </label>
      <button
        data-testid="space-dims-toggle"
        onClick={() =>
          props.onProjection({ ...projection, dimensions: projection.dimensions === 2 ? 3 : 2 })
        }
      >
        {projection.dimensions === 2 ? t('controls.to3d') : t('controls.to2d')}
      </button>
      {projection.method === 'umap' && (
        <label>
          {t('controls.umapPoints')}{' '}
          <input
            type="number"
            min={100}
            max={20000}
            step={500}
            value={umapN}
            onChange={(e) => setUmapN(Number(e.target.value))}
          />
          <button onClick={() => props.onProjection({ ...projection, topN: umapN })}>
            {t('controls.run')}
          </button>
        </label>
      )}
      {projection.method === 'custom' && (
        <div className="space-axes">
          {AXIS_NAMES.map((name, i) => (
            <div key={name}>
              {name}:{' '}
              <input
                value={axes[i * 2]}
                onChange={(e) => setAxes(axes.map((v, j) => (j === i * 2 ? e.target.value : v)))}
              />
              →
              <input
                value={axes[i * 2 + 1]}
                onChange={(e) =>
                  setAxes(axes.map((v, j) => (j === i * 2 + 1 ? e.target.value : v)))
                }
              />
            </div>
          ))}
          <button onClick={() => props.onProjection({ ...projection, axes: customAxes() })}>
            {t('controls.applyAxes')}
          </button>
        </div>
      )}
      <label>
        {t('controls.showThe')}{' '}
        <input
          data-testid="space-filter"
          type="number"
          min={1}
          max={count}
          value={props.visible}
          onChange={(e) => props.onVisible(Number(e.target.value))}
        />{' '}
        {t('controls.mostFrequentOf', { count })}
      </label>
      <label>
        {t('controls.colour')}{' '}
        <Select
          testId="space-colour"
          value={props.colorBy ?? ''}
          onChange={(v) => props.onColorBy(v || null)}
          options={[
            { value: '', label: t('controls.byRank') },
            ...props.columns.map((c) => ({
              value: c,
              label: t('controls.byColumn', { column: c }),
            })),
          ]}
        />
      </label>
      {props.explained && (
        <span className="space-explained" data-testid="space-explained">
          {t('controls.variance', {
            parts: props.explained.map((v) => format.percent(v)).join(' + '),
            total: format.percent(props.explained.reduce((s, v) => s + v, 0)),
          })}
        </span>
      )}
    </div>
  )
}
