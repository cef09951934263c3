import { useTranslation } from 'react-i18next'
import { LANGUAGES, setLanguage, type Language } from '.'

export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language.label')}</span>
      <select
        data-testid="language-switch"
        aria-label={t('language.label')}
        value={i18n.language}
        onChange={(e) => setLanguage(e.target.value as Language)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  )
}
