import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { InsideView } from '../../inside/InsideView'
import { ChapterLayout } from '../ChapterLayout'
import { useHeadPatterns, useInspection } from '../useInspection'

const TEXT = 'And God said, Let there be light: and there was light. And God saw the light.'

const pct = (x: number) => `${(x * 100).toFixed(0)}%`

/** Chapter 5: which earlier words a word reads from, and two heads worth pointing at. */
export function AttentionChapter() {
  const { t } = useTranslation('learn')
  const { inspection, error } = useInspection(TEXT)
  const patterns = useHeadPatterns(inspection)
  const [focus, setFocus] = useState<{ layer: number; head: number } | null>(null)
  return (
    <ChapterLayout
      text={
        <>
          <p>{t('attention.p1')}</p>
          <p>{t('attention.p2')}</p>
          {error && <p className="learn-error">{error}</p>}
          {!patterns && !error && <p className="hint">{t('working')}</p>}
          {patterns && (
            <>
              <p data-testid="learn-previous-head">
                {t('attention.previous', {
                  layer: patterns.previous.layer,
                  head: patterns.previous.head,
                  score: pct(patterns.previous.score),
                })}
              </p>
              <p data-testid="learn-first-head">
                {t('attention.first', {
                  layer: patterns.first.layer,
                  head: patterns.first.head,
                  score: pct(patterns.first.score),
                })}
              </p>
              <button data-testid="learn-show-first" onClick={() => setFocus(patterns.first)}>
                {t('attention.showFirst')}
              </button>
            </>
          )}
        </>
      }
      tryThis={{
        label: t('attention.showPrevious'),
        onClick: () => patterns && setFocus(patterns.previous),
        disabled: !patterns,
      }}
      tab="inside"
    >
      <InsideView presetText={TEXT} focus={focus} />
    </ChapterLayout>
  )
}
