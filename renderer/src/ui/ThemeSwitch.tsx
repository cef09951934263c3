import { useTranslation } from 'react-i18next'
import { Select } from './Select'
import { setThemeChoice, THEME_CHOICES, useThemeChoice } from './theme'

export function ThemeSwitch() {
  const { t } = useTranslation()
  const choice = useThemeChoice()
  return (
    <Select
      className="theme-switch"
      testId="theme-switch"
      ariaLabel={t('theme.label')}
      value={choice}
      options={THEME_CHOICES.map((c) => ({ value: c, label: t(`theme.${c}`) }))}
      onChange={setThemeChoice}
    />
  )
}
