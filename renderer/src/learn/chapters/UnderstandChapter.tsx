import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ChatPane } from '../../chat/ChatPane'
import { reportError } from '../../errors'
import { InsideView } from '../../inside/InsideView'
import { api } from '../../platform'
import { ChapterLayout } from '../ChapterLayout'

/** Chapter 10: the false-belief question, asked in a chat, then looked at from inside. */
export function UnderstandChapter() {
  const { t, i18n } = useTranslation('learn')
  const [sessionId, setSessionId] = useState<number | null>(null)
  const [inside, setInside] = useState<number | null>(null)
  const [note, setNote] = useState('')

  const lookInside = async () => {
    if (sessionId === null) return setNote(t('understand.noAnswer'))
    const { messages } = await api.call('messages.list', { sessionId })
    const answer = messages.filter((m) => m.role === 'assistant').at(-1)
    if (!answer) return setNote(t('understand.noAnswer'))
    setNote('')
    setInside(answer.id)
  }

  return (
    <ChapterLayout
      text={
        <>
          <p>{t('understand.p1')}</p>
          <blockquote data-testid="learn-prompt">{t('understand.prompt')}</blockquote>
          <p>{t('understand.p2')}</p>
          {note && <p className="hint">{note}</p>}
        </>
      }
      tryThis={{
        label: t('understand.inside'),
        onClick: () => void lookInside().catch(reportError),
      }}
      tab="chat"
    >
      {inside !== null ? (
        <InsideView key={inside} messageId={inside} />
      ) : (
        <div className="learn-chat">
          <ChatPane
            key={i18n.language} // the prompt in the composer follows the language
            sessionId={sessionId}
            onSessionCreated={setSessionId}
            draft={t('understand.prompt')}
          />
        </div>
      )}
    </ChapterLayout>
  )
}
