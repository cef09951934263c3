import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../platform'
import { ChapterLayout } from '../ChapterLayout'
import { openTab } from '../tabLink'
import { useSelectedModel } from '../useSelectedModel'

/** Chapter 9: how big the model in use is, against the models the news talks about. */
export function ScaleChapter() {
  const { t, i18n } = useTranslation('learn')
  const { model, loaded } = useSelectedModel()
  const [params, setParams] = useState<{ path: string; count: number } | null>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    if (!model) return
    let live = true
    api
      .call('training.defaultSettings', { modelDir: model.path })
      .then((d) => live && setParams({ path: model.path, count: d.parameterCount }))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)))
    return () => {
      live = false
    }
  }, [model])
  const count = params && params.path === model?.path ? params.count : null
  return (
    <ChapterLayout
      text={
        <>
          {count !== null ? (
            <p data-testid="learn-params" data-count={count}>
              {t('scale.p1', { params: new Intl.NumberFormat(i18n.language).format(count) })}
            </p>
          ) : (
            <p className="hint">{loaded && !model ? t('noModel') : error || t('scale.loading')}</p>
          )}
          <p>{t('scale.p2')}</p>
        </>
      }
      tryThis={{ label: t('scale.try'), onClick: () => openTab('models') }}
    />
  )
}
