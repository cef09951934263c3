// The interface's languages: i18next with one catalogue per language and namespace (en/, zh-CN/).
// The language is the one the person chose (kept in this browser profile), else the OS's, which
// Electron and Chromium both report as navigator.languages.
import i18next, { type i18n as I18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import { catalogues, LANGUAGES, type Catalogue, type Language } from './catalogues'
import { pickLanguage } from './pickLanguage'

export { LANGUAGES, type Language }

const STORAGE_KEY = 'glassbox.language'

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common'
    resources: Catalogue
  }
}

function savedLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

export const i18n: I18n = i18next.createInstance()

void i18n.use(initReactI18next).init({
  resources: catalogues,
  lng: pickLanguage(savedLanguage(), navigator.languages ?? [navigator.language]),
  fallbackLng: 'en',
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
})

document.documentElement.lang = i18n.language
i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng
})

export function setLanguage(lng: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lng)
  } catch {
    // A profile that stores nothing still switches for this page.
  }
  void i18n.changeLanguage(lng)
}
