import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SpaceProjection } from '../../../../main/contract/space'
import { SpaceView } from '../../space/SpaceView'
import { ChapterLayout } from '../ChapterLayout'

/** The most frequent GloVe words only: a cloud a learner can read, projected in seconds. */
export const LEARN_PROJECTION: SpaceProjection = { method: 'pca', dimensions: 3, topN: 5000 }

/** Chapter 1: words as points in a space where near means similar. */
export function WordsChapter() {
  const { t } = useTranslation('learn')
  const [word, setWord] = useState('king')
  return (
    <ChapterLayout
      text={
        <>
          <p>{t('words.p1')}</p>
          <p>{t('words.p2')}</p>
        </>
      }
      tryThis={{
        label: t('words.try'),
        onClick: () => setWord('paris'),
        disabled: word === 'paris',
      }}
      tab="space"
    >
      <SpaceView key={word} preset={{ projection: LEARN_PROJECTION, selection: [word] }} />
    </ChapterLayout>
  )
}
