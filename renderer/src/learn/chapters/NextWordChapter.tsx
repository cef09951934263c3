import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { visibleToken } from '../../inside/attentionMath'
import { InsideView } from '../../inside/InsideView'
import { ChapterLayout } from '../ChapterLayout'
import { useInspection } from '../useInspection'

const FIRST = 'In the beginning God created the heaven and the'
const SECOND = 'And God said, Let there be'
// The last position: what the model expects after the whole text.
const LAST = { position: Number.MAX_SAFE_INTEGER }

/** Chapter 7: next-token probabilities, and the logit lens for how the guess forms. */
export function NextWordChapter() {
  const { t } = useTranslation('learn')
  const [text, setText] = useState(FIRST)
  const { inspection, error } = useInspection(text)
  const top = inspection?.predictions.at(-1)?.candidates[0]
  return (
    <ChapterLayout
      text={
        <>
          <p>{t('nextWord.p1')}</p>
          {error && <p className="learn-error">{error}</p>}
          {!top && !error && <p className="hint">{t('working')}</p>}
          {top && (
            <p data-testid="learn-top-guess">
              {t('nextWord.top', {
                text,
                token: top.text.trim() || visibleToken(top.text),
                prob: `${(top.prob * 100).toFixed(1)}%`,
              })}
            </p>
          )}
          <p>{t('nextWord.p2')}</p>
        </>
      }
      tryThis={{
        label: t('nextWord.try'),
        onClick: () => setText(SECOND),
        disabled: text === SECOND,
      }}
      tab="inside"
    >
      <InsideView key={text} presetText={text} focus={LAST} />
    </ChapterLayout>
  )
}
