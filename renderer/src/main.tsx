import { StrictMode } from 'react'
import './i18n'
import { createRoot } from 'react-dom/client'
import 'highlight.js/styles/github-dark-dimmed.css'
import './styles/app.css'
import './styles/chat.css'
import './styles/views.css'
import './ui/theme'
import { App } from './App'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
