import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { LearnProgress } from '../../../main/contract/learn'
import { reportError } from '../errors'
import { api } from '../platform'
import { chapterFromSearch, searchWithChapter } from './chapterLink'
import { CHAPTERS } from './chapterTable'
import './learn.css'

function showInAddress(chapter: number | null): void {
  const search = searchWithChapter(window.location.search, chapter)
  if (search === window.location.search) return
  window.history.replaceState(
    null,
    '',
    `${window.location.pathname}${search}${window.location.hash}`,
  )
}

/**
 * The Learn tab: the course's chapters at the side, one chapter open beside them. Where the
 * learner is and what they marked done are kept by the back end (learn.saveProgress).
 */
export function LearnTab() {
  const { t } = useTranslation('learn')
  const [progress, setProgress] = useState<LearnProgress | null>(null)
  // Read once, before anything rewrites the address.
  const [linked] = useState(() => chapterFromSearch(window.location.search, CHAPTERS.length))

  useEffect(() => {
    let live = true
    api
      .call('learn.getProgress', {})
      .then((saved) => {
        if (!live) return
        // An address naming a chapter wins over where the learner left off.
        setProgress({ ...saved, current: linked ?? saved.current ?? 1 })
      })
      .catch((err: unknown) => live && (reportError(err), setProgress({ current: 1, done: [] })))
    return () => {
      live = false
    }
  }, [linked])

  const current = progress?.current ?? null
  useEffect(() => {
    if (current !== null) showInAddress(current)
  }, [current])
  // Leaving the tab leaves the address without a chapter, so a reload opens where one was.
  useEffect(() => () => showInAddress(null), [])

  const save = (next: LearnProgress) => {
    setProgress(next)
    api.call('learn.saveProgress', next).then(setProgress, reportError)
  }

  if (!progress || current === null) return <section className="learn" data-testid="learn" />
  const go = (n: number) => save({ ...progress, current: n })
  const isDone = progress.done.includes(current)
  const toggleDone = () =>
    save({
      ...progress,
      done: isDone ? progress.done.filter((n) => n !== current) : [...progress.done, current],
    })
  const chapter = CHAPTERS[current - 1]

  return (
    <section className="learn" data-testid="learn" data-chapter={current}>
      <nav className="learn-side" aria-label={t('chapters')}>
        <h2>{t('heading')}</h2>
        <ol>
          {CHAPTERS.map((c, i) => (
            <li key={c.key}>
              <button
                data-testid={`learn-chapter-${i + 1}`}
                aria-current={i + 1 === current ? 'page' : undefined}
                data-done={progress.done.includes(i + 1) ? 'true' : 'false'}
                onClick={() => go(i + 1)}
              >
                <span className="learn-number">{i + 1}</span>
                <span className="learn-name">{t(`${c.key}.title`)}</span>
                {progress.done.includes(i + 1) && (
                  <span className="learn-done" aria-label={t('doneMark')}>
                    ✓
                  </span>
                )}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <article className="learn-main" data-testid={`learn-view-${chapter.key}`}>
        <header className="learn-head">
          <span className="learn-of">{t('chapterOf', { n: current, total: CHAPTERS.length })}</span>
          <h1 data-testid="learn-title">{t(`${chapter.key}.title`)}</h1>
          <label className="learn-mark">
            <input
              type="checkbox"
              data-testid="learn-mark-done"
              checked={isDone}
              onChange={toggleDone}
            />{' '}
            {t('markDone')}
          </label>
          <span className="learn-steps">
            <button
              data-testid="learn-previous"
              disabled={current <= 1}
              onClick={() => go(current - 1)}
            >
              {t('previous')}
            </button>
            <button
              data-testid="learn-next"
              disabled={current >= CHAPTERS.length}
              onClick={() => go(current + 1)}
            >
              {t('next')}
            </button>
          </span>
        </header>
        <chapter.Component key={current} />
      </article>
    </section>
  )
}
