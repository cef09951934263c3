import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { openTab, type TabId } from './tabLink'

interface Props {
  /** The short text beside the view: what to look at and why it matters. */
  text: ReactNode
  /** One action that changes the view's preset. */
  tryThis?: { label: string; onClick(): void; disabled?: boolean }
  /** The full tab this chapter's view comes from. */
  tab?: Exclude<TabId, 'learn' | 'hardware' | 'api'>
  /** The live view. */
  children?: ReactNode
}

/** A chapter: its text and actions in a column, the live view beside it. */
export function ChapterLayout({ text, tryThis, tab, children }: Props) {
  const { t } = useTranslation('learn')
  return (
    <div className="learn-chapter">
      <div className="learn-text" data-testid="learn-text">
        {text}
        {tryThis && (
          <div className="learn-try">
            <h3>{t('tryThis')}</h3>
            <button data-testid="learn-try" onClick={tryThis.onClick} disabled={tryThis.disabled}>
              {tryThis.label}
            </button>
          </div>
        )}
        {tab && (
          <button className="learn-open" data-testid="learn-open-tab" onClick={() => openTab(tab)}>
            {t(`open.${tab}`)}
          </button>
        )}
      </div>
      {children && (
        <div className="learn-live" data-testid="learn-live">
          {children}
        </div>
      )}
    </div>
  )
}
