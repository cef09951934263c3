import { useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'

interface Props {
  disabled?: boolean
  placeholder?: string
  onSend(text: string): Promise<boolean>
  initialText?: string
}

/** Enter sends, Shift+Enter starts a new line; text stays if sending failed. */
export function Composer({ disabled, placeholder, onSend, initialText = '' }: Props) {
  const { t } = useTranslation('chat')
  const [text, setText] = useState(initialText)
  const [sending, setSending] = useState(false)

  async function send() {
    if (!text.trim() || sending) return
    setSending(true)
    const sent = await onSend(text)
    setSending(false)
    if (sent) setText('')
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // While an input method composes (Chinese, Japanese ...), Enter confirms the composition.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      void send()
    }
  }

  const rows = Math.min(10, Math.max(2, text.split('\n').length))
  return (
    <div className="composer">
      <textarea
        data-testid="composer-input"
        aria-label={t('composer.label')}
        placeholder={placeholder ?? t('composer.placeholder')}
        value={text}
        rows={rows}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <button
        className="primary"
        data-testid="composer-send"
        disabled={disabled || sending || !text.trim()}
        onClick={() => void send()}
      >
        {t('composer.send')}
      </button>
    </div>
  )
}
