// The first-open card: what the shipped model is and where to go next. Dismissed once, it
// stays dismissed (the data folder remembers, so another browser or a restart agrees).
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Welcome } from '../../../main/contract/system'
import { reportError } from '../errors'
import { api } from '../platform'

export type WelcomeStep = 'models' | 'space' | 'learn'

/** "2.6 M" for 2,6xx,xxx: the size a person compares, not the exact count. */
export function formatParameters(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} B`
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`
  if (n >= 1e3) return `${Math.round(n / 1e3)} k`
  return String(n)
}

export function WelcomeCard({ onStep }: { onStep(step: WelcomeStep): void }) {
  const { t } = useTranslation('common')
  const [state, setState] = useState<Welcome | null>(null)
  useEffect(() => {
    api.call('system.welcome', {}).then(setState, reportError)
  }, [])
  // The card is about the shipped model: without it (removed, or a test host) it stays away.
  const model = state?.show ? state.defaultModel : null
  if (!model) return null
  const dismiss = () => api.call('system.dismissWelcome', {}).then(setState, reportError)
  return (
    <section className="welcome-card" data-testid="welcome" aria-labelledby="welcome-title">
      <button
        className="welcome-dismiss"
        data-testid="welcome-dismiss"
        aria-label={t('welcome.dismiss')}
        title={t('welcome.dismiss')}
        onClick={() => void dismiss()}
      >
        ×
      </button>
      <h2 id="welcome-title">{t('welcome.title')}</h2>
      <p data-testid="welcome-model">
        {t('welcome.model', { name: model.name, parameters: formatParameters(model.parameters) })}{' '}
        {model.completionOnly ? t('welcome.completion') : ''}
      </p>
      <p>{t('welcome.next')}</p>
      <div className="welcome-steps">
        <button
          className="primary"
          data-testid="welcome-get-model"
          onClick={() => onStep('models')}
        >
          {t('welcome.getModel')}
        </button>
        <button data-testid="welcome-space" onClick={() => onStep('space')}>
          {t('welcome.openSpace')}
        </button>
        <button data-testid="welcome-tour" onClick={() => onStep('learn')}>
          {t('welcome.tour')}
        </button>
      </div>
    </section>
  )
}
