import { StrictMode } from 'react'
import './i18n'
import { createRoot } from 'react-dom/client'
import 'highlight.js/styles/github-dark-dimmed.css'
// Chinese glyphs where the system has none (many Linux installs): loaded per character range.
import '@fontsource-variable/noto-sans-sc'
import './styles/app.css'
import './styles/chat.css'
import './styles/views.css'
import './ui/theme'
import { App } from './App'
import { devView } from './learn/devViews'

createRoot(document.getElementById('root')!).render(
  <StrictMode>{devView(window.location.search) ?? <App />}</StrictMode>,
)
