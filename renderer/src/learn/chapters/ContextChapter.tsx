import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ContextView } from '../../space/ContextView'
import { ChapterLayout } from '../ChapterLayout'
import { useSelectedModel } from '../useSelectedModel'

const BANK = {
  word: 'bank',
  sentences: [
    'We sat on the bank of the river and watched the water.',
    'She went to the bank to borrow money for a house.',
    'The bank raised its interest rates again this year.',
  ],
}
// Both senses are in the King James Bible, so the shipped model has seen them.
const LIGHT = {
  word: 'light',
  sentences: [
    'And God said, Let there be light: and there was light.',
    'For my yoke is easy, and my burden is light.',
  ],
}

/** Chapter 4: one word's path through the layers in different sentences. */
export function ContextChapter() {
  const { t } = useTranslation('learn')
  const { model } = useSelectedModel()
  const [preset, setPreset] = useState(BANK)
  return (
    <ChapterLayout
      text={
        <>
          <p>{t('context.p1')}</p>
          <p>{t('context.p2')}</p>
          {model?.isDefault && (
            <p className="learn-note" data-testid="learn-small-model">
              {t('context.small')}
            </p>
          )}
        </>
      }
      tryThis={{
        label: t('context.try'),
        onClick: () => setPreset(LIGHT),
        disabled: preset === LIGHT,
      }}
      tab={model?.isDefault ? 'models' : 'space'}
    >
      <ContextView key={preset.word} preset={preset} />
    </ChapterLayout>
  )
}
