import { useTranslation } from 'react-i18next'
import { Select } from '../ui/Select'
import { LANGUAGES, setLanguage, type Language } from '.'

export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  return (
    <Select
      className="language-switch"
      testId="language-switch"
      ariaLabel={t('language.label')}
      value={i18n.language as Language}
      options={LANGUAGES.map((l) => ({ value: l.id, label: l.name }))}
      onChange={setLanguage}
    />
  )
}
