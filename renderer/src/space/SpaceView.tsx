import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type {
  ScoredWord,
  SpaceProjection,
  SpaceSource,
  SpaceState,
} from '../../../main/contract/space'
import { apiErrorOf } from '../errors'
import { ProblemText, type Problem } from '../ErrorText'
import { api } from '../platform'
import { AnalogyBuilder } from './AnalogyBuilder'
import { ContextView } from './ContextView'
import type { PointCloud } from './pointCloud'
import { SearchBox } from './SearchBox'
import { SpaceCanvas } from './SpaceCanvas'
import { SpaceControls } from './SpaceControls'
import { SpaceLegend } from './SpaceLegend'
import { categoryColor, decodeFloats, rankColor } from './spaceData'
import { onShowWords, takePendingWords } from './spaceLink'
import { displayToken } from './tokenText'
import { useSpaceMarks } from './useSpaceMarks'
import { useSpaceSaving } from './useSpaceSaving'
import { WordList } from './WordList'
import './space.css'

interface SpaceInfo {
  spaceId: string
  label: string
  count: number
  columns: string[]
  note: string | null
}

/** What the view opens on instead of its defaults (a Learn chapter's live view). */
export interface SpacePreset {
  mode?: 'words' | 'context'
  projection?: SpaceProjection
  selection?: string[]
  /** a − b + c, solved as soon as the vectors are open */
  analogy?: [string, string, string]
  context?: { word: string; sentences: string[] }
}

interface Props {
  /** Space state is saved with this chat session and restored when it is reopened. */
  sessionId?: number | null
  /** A pane shown beside the space in the same window (the chat). */
  aside?: ReactNode
  preset?: SpacePreset
}

const K = 12

const errorText = (err: unknown): Problem => apiErrorOf(err)

const STAGES = ['convert', 'import', 'write', 'umap', 'umap-neighbours'] as const
const isStage = (s: string): s is (typeof STAGES)[number] =>
  (STAGES as readonly string[]).includes(s)

/** A state update that keeps the previous value when the next one says the same. */
function unlessSame<T>(next: T): (previous: T) => T {
  return (previous) => (JSON.stringify(previous) === JSON.stringify(next) ? previous : next)
}

export function SpaceView({ sessionId = null, aside, preset }: Props) {
  const { t } = useTranslation('space')
  const [mode, setMode] = useState<'words' | 'context'>(preset?.mode ?? 'words')
  const [source, setSource] = useState<SpaceSource>({ kind: 'glove' })
  const [projection, setProjection] = useState<SpaceProjection>(
    preset?.projection ?? { method: 'pca', dimensions: 3 },
  )
  const [info, setInfo] = useState<SpaceInfo | null>(null)
  const [words, setWords] = useState<string[]>([])
  const [cloud, setCloud] = useState<PointCloud | null>(null)
  const [pointsVersion, setPointsVersion] = useState(0)
  const [pointCount, setPointCount] = useState(0)
  const [cameraRestores, setCameraRestores] = useState(0)
  const [progress, setProgress] = useState<{ stage: string; done: number; total: number } | null>(
    null,
  )
  const [openedSource, setOpenedSource] = useState<SpaceSource | null>(null)
  // The space and projection whose points are drawn: a new source projects again with the same
  // projection object, so both must match for the view to be up to date.
  const [projectedFor, setProjectedFor] = useState<{
    info: SpaceInfo
    projection: SpaceProjection
  } | null>(null)
  // A searched word whose point is still coming (the new source's projection is running).
  const pendingFly = useRef<number | null>(null)
  const [analogyBusy, setAnalogyBusy] = useState(false)
  const [error, setError] = useState<Problem | null>(null)
  const [explained, setExplained] = useState<number[] | null>(null)
  const [selection, setSelection] = useState<string[]>(preset?.selection ?? [])
  const [neighbourState, setNeighbourState] = useState<{ word: string; results: ScoredWord[] }>({
    word: '',
    results: [],
  })
  const [analogy, setAnalogy] = useState<{ indices: number[]; results: ScoredWord[] } | null>(null)
  const [visible, setVisible] = useState(0)
  const [colorBy, setColorBy] = useState<string | null>(null)
  const [categories, setCategories] = useState<{ name: string; categories: string[] } | null>(null)
  // Large arrays and the camera to restore stay out of React state.
  const projected = useRef<{ positions: Float32Array; count: number } | null>(null)
  const restoredCamera = useRef<SpaceState['camera']>(null)
  // A preset's analogy and visible count apply once.
  const presetAnalogy = useRef(preset?.analogy)
  const presetTopN = useRef(preset?.projection?.topN)
  // The session whose saved state has been read: never save into a session before that, or
  // a slow load would be overwritten by the previous session's view.
  const loadedFor = useRef<number | null>(null)
  const [restored, setRestored] = useState(sessionId === null)

  const index = useMemo(() => {
    const map = new Map<string, number>()
    words.forEach((w, i) => map.has(w) || map.set(w, i))
    return map
  }, [words])
  const drawn = projectedFor?.info === info && projectedFor?.projection === projection
  // Busy states derive from what was asked and what has come back.
  const busy =
    restored && openedSource !== source
      ? t('busy.loading')
      : info && !drawn
        ? projection.method === 'umap'
          ? t('busy.umap')
          : t('busy.projecting')
        : analogyBusy
          ? t('busy.analogy')
          : null
  const neighbours = useMemo(
    () =>
      selection.length > 0 && neighbourState.word === selection[0] ? neighbourState.results : [],
    [selection, neighbourState],
  )
  const wordOf = useCallback(
    (i: number) => (words[i] === undefined ? undefined : displayToken(words[i])),
    [words],
  )
  // The custom projection's axes, named by their words, once its points are drawn.
  const axisNames = useMemo(
    () =>
      projection.method === 'custom' && drawn
        ? (projection.axes ?? [])
            .slice(0, projection.dimensions)
            .map((a) => `${a.from.join(' + ')} → ${a.to.join(' + ')}`)
        : [],
    [projection, drawn],
  )

  useEffect(() => api.on('space.progress', (p) => setProgress(p.done >= p.total ? null : p)), [])

  // Restore the session's space before opening anything.
  useEffect(() => {
    if (sessionId === null) return
    let live = true
    api
      .call('space.loadState', { sessionId })
      .then(({ state }) => {
        if (!live || !state) return
        // A restored source or projection equal to the one shown keeps its object, so the
        // points are not loaded and projected again just to come back the same.
        setSource(unlessSame(state.source))
        setProjection(unlessSame(state.projection))
        setSelection(state.selection)
        setColorBy(state.colorBy)
        restoredCamera.current = state.camera
        setCameraRestores((n) => n + 1)
      })
      .catch((err) => setError(errorText(err)))
      .finally(() => {
        if (!live) return
        loadedFor.current = sessionId
        setRestored(true)
      })
    return () => {
      live = false
    }
  }, [sessionId])

  useEffect(() => {
    if (!restored) return
    let live = true
    api
      .call('space.open', { source })
      .then((opened) => {
        if (!live) return
        const list = opened.words.split('\n')
        setWords(list)
        setInfo({ ...opened })
        setVisible(Math.min(list.length, presetTopN.current ?? list.length))
        presetTopN.current = undefined
        setError(null)
      })
      .catch((err) => live && setError(errorText(err)))
      .finally(() => live && setOpenedSource(source))
    return () => {
      live = false
    }
  }, [source, restored])

  useEffect(() => {
    if (!info) return
    let live = true
    api
      .call('space.project', { spaceId: info.spaceId, projection })
      .then((result) => {
        if (!live) return
        projected.current = { positions: decodeFloats(result.positions), count: result.count }
        setPointCount(result.count)
        setExplained(result.explainedVariance)
        if (result.note) setError({ note: result.note })
        setPointsVersion((v) => v + 1)
      })
      .catch((err) => live && setError(errorText(err)))
      .finally(() => live && setProjectedFor({ info, projection }))
    return () => {
      live = false
    }
  }, [info, projection])

  // New points → the one geometry, updated in place, and the camera fitted to them.
  useEffect(() => {
    const p = projected.current
    if (!cloud || !p) return
    cloud.setPositions(p.positions, p.count, true)
    cloud.setFlat(projection.dimensions === 2)
    if (pendingFly.current !== null && pendingFly.current < p.count) cloud.flyTo(pendingFly.current)
    pendingFly.current = null
  }, [cloud, pointsVersion, projection.dimensions])

  useEffect(() => {
    cloud?.setAxes(axisNames.length)
  }, [cloud, axisNames, pointsVersion])

  // A restored camera comes back once, over the points of the restored projection (after
  // the fit above), whether or not those points had to be computed again.
  useEffect(() => {
    if (!cloud || !projected.current || !restoredCamera.current) return
    if (!drawn) return
    cloud.setCamera(restoredCamera.current)
    restoredCamera.current = null
  }, [cloud, pointsVersion, cameraRestores, drawn])

  useEffect(() => {
    cloud?.setVisibleCount(visible)
  }, [cloud, visible, pointsVersion])

  useEffect(() => {
    if (!cloud || !info || !projected.current) return
    const count = cloud.pointCount
    if (!colorBy) {
      cloud.setColors((i, c) => c.setRGB(...rankColor(i, count)))
      return
    }
    let live = true
    api
      .call('space.column', { spaceId: info.spaceId, column: colorBy })
      .then(({ codes, categories }) => {
        if (!live) return
        cloud.setColors((i, c) => c.setRGB(...categoryColor(codes[i] ?? 0)))
        setCategories({ name: colorBy, categories })
      })
      .catch((err) => live && setError(errorText(err)))
    return () => {
      live = false
    }
  }, [cloud, info, colorBy, pointsVersion])

  // The first selected word's neighbours.
  useEffect(() => {
    if (!info || selection.length === 0) return
    let live = true
    const word = selection[0]
    api
      .call('space.neighbours', { spaceId: info.spaceId, word, k: K })
      .then((r) => live && setNeighbourState({ word, results: r.results }))
      .catch((err) => live && setError(errorText(err)))
    return () => {
      live = false
    }
  }, [info, selection])

  const selectedIndices = useMemo(
    () =>
      selection.map((w) => index.get(w) ?? index.get(w.toLowerCase()) ?? -1).filter((i) => i >= 0),
    [selection, index],
  )
  const labels = useSpaceMarks(cloud, selectedIndices, neighbours, analogy, pointsVersion)

  // "Show these words in the space" from the chat.
  useEffect(() => {
    const show = (list: string[]) => {
      setMode('words')
      setSelection(list)
    }
    const pending = takePendingWords()
    if (pending) show(pending)
    return onShowWords((list) => {
      takePendingWords()
      show(list)
    })
  }, [])

  useSpaceSaving(
    sessionId,
    restored && info !== null,
    loadedFor,
    cloud,
    (err) => setError(errorText(err)),
    {
      source,
      projection,
      selection,
      colorBy,
    },
  )

  const runAnalogy = (a: string, b: string, c: string) => {
    if (!info) return
    setAnalogyBusy(true)
    api
      .call('space.analogy', { spaceId: info.spaceId, a, b, c, k: K })
      .then((r) => {
        setAnalogy(r)
        setError(null)
      })
      .catch((err) => setError(errorText(err)))
      .finally(() => setAnalogyBusy(false))
  }
  // A preset's analogy is solved once, when its vectors are open.
  useEffect(() => {
    const abc = presetAnalogy.current
    if (!info || !abc) return
    presetAnalogy.current = undefined
    runAnalogy(...abc)
  })
  const select = (word: string) => {
    setAnalogy(null)
    setSelection(word ? [word] : [])
  }
  // A searched word: selected, and the camera goes to it.
  const search = (word: string) => {
    select(word)
    const i = index.get(word) ?? index.get(word.toLowerCase())
    if (i === undefined) return
    if (drawn) cloud?.flyTo(i)
    else pendingFly.current = i
  }
  // Another source: what was found in the old one (selection, analogy, errors) goes with it.
  const changeSource = (next: SpaceSource) => {
    setSource(next)
    setAnalogy(null)
    setSelection([])
    setColorBy(null)
    setError(null)
  }

  return (
    <div className={aside ? 'space-split' : 'space-single'}>
      <section className="space-view" data-testid="space-view">
        <nav className="space-modes">
          <button aria-pressed={mode === 'words'} onClick={() => setMode('words')}>
            {t('modes.words')}
          </button>
          <button
            data-testid="space-context-tab"
            aria-pressed={mode === 'context'}
            onClick={() => setMode('context')}
          >
            {t('modes.context')}
          </button>
          {info && <span className="space-title">{info.label}</span>}
          {busy && (
            <span className="space-busy" data-testid="space-busy">
              {busy}
              {progress &&
                ` ${isStage(progress.stage) ? t(`stage.${progress.stage}`) : progress.stage} ${Math.round((100 * progress.done) / Math.max(1, progress.total))}%`}
              {projection.method === 'umap' && (
                <button onClick={() => void api.call('space.cancel', {})}>{t('cancel')}</button>
              )}
            </span>
          )}
        </nav>
        {error && (
          <p className="space-error" data-testid="space-error" role="alert">
            <ProblemText problem={error} />
          </p>
        )}
        {mode === 'context' ? (
          <ContextView preset={preset?.context} />
        ) : (
          <div className="space-body">
            <aside className="space-side">
              <SearchBox words={words} onSearch={search} />
              <SpaceControls
                source={source}
                onSource={changeSource}
                projection={projection}
                onProjection={setProjection}
                visible={visible}
                count={info?.count ?? 0}
                onVisible={setVisible}
                columns={info?.columns ?? []}
                colorBy={colorBy}
                onColorBy={setColorBy}
                explained={explained}
              />
              <AnalogyBuilder onRun={runAnalogy} busy={busy !== null} initial={preset?.analogy} />
              {analogy && (
                <WordList
                  title={t('analogyResults')}
                  results={analogy.results}
                  testId="space-analogy-results"
                  onChoose={select}
                />
              )}
              {selection.length > 0 && (
                <WordList
                  title={t('nearest', { word: displayToken(selection[0]) })}
                  results={neighbours}
                  testId="space-neighbours"
                  onChoose={select}
                />
              )}
            </aside>
            <SpaceCanvas
              onCloud={setCloud}
              wordOf={wordOf}
              onPick={(i) => select(words[i])}
              labels={labels}
              axisNames={axisNames}
              overlay={
                <SpaceLegend
                  count={pointCount}
                  column={categories?.name === colorBy ? categories : null}
                  selection={selectedIndices.length > 0}
                  analogy={analogy !== null}
                />
              }
            />
          </div>
        )}
      </section>
      {aside && <section className="space-aside">{aside}</section>}
    </div>
  )
}
