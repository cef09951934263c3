import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'

interface Props {
  /** Sanitized HTML from renderMarkdown. */
  html: string
  className: string
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text)
  // No async clipboard (an insecure origin): the old way, through a selected text area.
  const area = document.createElement('textarea')
  area.value = text
  document.body.appendChild(area)
  area.select()
  document.execCommand('copy')
  area.remove()
}

/**
 * A message's rendered Markdown, each code block with a copy button. The buttons are added
 * here, after rendering, not in the HTML: the sanitizer keeps every button out of model text.
 */
export function MarkdownBody({ html, className }: Props) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const root = ref.current
    if (!root) return
    const timers: number[] = []
    for (const pre of root.querySelectorAll<HTMLPreElement>('pre.code-block')) {
      if (pre.querySelector(':scope > .code-copy')) continue
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'code-copy'
      button.dataset.testid = 'code-copy'
      button.textContent = t('copy.code')
      button.addEventListener('click', () => {
        const code = pre.querySelector('code')?.textContent ?? ''
        void copyText(code).then(() => {
          button.textContent = t('copy.copied')
          timers.push(window.setTimeout(() => (button.textContent = t('copy.code')), 1500))
        })
      })
      pre.appendChild(button)
    }
    return () => timers.forEach((id) => clearTimeout(id))
  }, [html, t])
  return (
    <div
      ref={ref}
      className={className}
      data-testid="message-body"
      dangerouslySetInnerHTML={{ __html: html }}
    />
  )
}
