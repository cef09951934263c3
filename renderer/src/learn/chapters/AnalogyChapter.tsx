import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SpaceView } from '../../space/SpaceView'
import { ChapterLayout } from '../ChapterLayout'
import { LEARN_PROJECTION } from './WordsChapter'

// GloVe's words are lower case.
const KING: [string, string, string] = ['king', 'man', 'woman']
const PARIS: [string, string, string] = ['paris', 'france', 'italy']

/** Chapter 2: a − b + c with the two parallel arrows. */
export function AnalogyChapter() {
  const { t } = useTranslation('learn')
  const [abc, setAbc] = useState(KING)
  return (
    <ChapterLayout
      text={
        <>
          <p>{t('analogy.p1')}</p>
          <p>{t('analogy.p2')}</p>
        </>
      }
      tryThis={{ label: t('analogy.try'), onClick: () => setAbc(PARIS), disabled: abc === PARIS }}
      tab="space"
    >
      <SpaceView key={abc.join()} preset={{ projection: LEARN_PROJECTION, analogy: abc }} />
    </ChapterLayout>
  )
}
