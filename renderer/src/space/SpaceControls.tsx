import { useState } from 'react'
import type { SpaceProjection, SpaceSource } from '../../../main/contract/space'
import { Select } from '../ui/Select'

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

function words(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((w) => w.trim())
    .filter(Boolean)
}

/** Source, projection (PCA / UMAP / custom axes), 2D/3D, point filter and colouring. */
export function SpaceControls(props: Props) {
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
        Source{' '}
        <Select
          testId="space-source"
          value={source.kind}
          onChange={(kind) => {
            if (kind === 'glove') props.onSource({ kind: 'glove' })
            if (kind === 'model') props.onSource({ kind: 'model', modelDir: modelDir || undefined })
          }}
          options={[
            { value: 'glove', label: 'GloVe words (341k)' },
            { value: 'model', label: 'Model token embeddings' },
            { value: 'tsv', label: 'Projector TSV (below)', disabled: true },
          ]}
        />
      </label>
      <details>
        <summary>Other sources</summary>
        <input
          placeholder="model folder (empty: loaded model)"
          value={modelDir}
          onChange={(e) => setModelDir(e.target.value)}
        />
        <button onClick={() => props.onSource({ kind: 'model', modelDir: modelDir || undefined })}>
          Open model
        </button>
        <input
          placeholder="path to vectors.tsv"
          value={tsvPath}
          onChange={(e) => setTsvPath(e.target.value)}
        />
        <input
          placeholder="path to metadata.tsv (optional)"
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
          Import TSV
        </button>
      </details>
      <label>
        Projection{' '}
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
            { value: 'pca', label: 'PCA (all points)' },
            { value: 'umap', label: 'UMAP (subset)' },
            { value: 'custom', label: 'Custom axes' },
          ]}
        />
      </label>
      <button
        data-testid="space-dims-toggle"
        onClick={() =>
          props.onProjection({ ...projection, dimensions: projection.dimensions === 2 ? 3 : 2 })
        }
      >
        {projection.dimensions === 2 ? '2D → 3D' : '3D → 2D'}
      </button>
      {projection.method === 'umap' && (
        <label>
          UMAP points{' '}
          <input
            type="number"
            min={100}
            max={20000}
            step={500}
            value={umapN}
            onChange={(e) => setUmapN(Number(e.target.value))}
          />
          <button onClick={() => props.onProjection({ ...projection, topN: umapN })}>Run</button>
        </label>
      )}
      {projection.method === 'custom' && (
        <div className="space-axes">
          {['x', 'y', 'z'].map((name, i) => (
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
            Apply axes
          </button>
        </div>
      )}
      <label>
        Show the{' '}
        <input
          data-testid="space-filter"
          type="number"
          min={1}
          max={count}
          value={props.visible}
          onChange={(e) => props.onVisible(Number(e.target.value))}
        />{' '}
        most frequent of {count.toLocaleString('en')}
      </label>
      <label>
        Colour{' '}
        <Select
          testId="space-colour"
          value={props.colorBy ?? ''}
          onChange={(v) => props.onColorBy(v || null)}
          options={[
            { value: '', label: 'by frequency rank' },
            ...props.columns.map((c) => ({ value: c, label: `by ${c}` })),
          ]}
        />
      </label>
      {props.explained && (
        <span className="space-explained" data-testid="space-explained">
          Variance shown: {props.explained.map((v) => `${(v * 100).toFixed(1)}%`).join(' + ')} ={' '}
          {(props.explained.reduce((s, v) => s + v, 0) * 100).toFixed(1)}%
        </span>
      )}
    </div>
  )
}
