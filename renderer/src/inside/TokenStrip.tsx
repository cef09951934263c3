import { useTranslation } from 'react-i18next'
import { visibleToken } from './attentionMath'

interface Props {
  tokens: { id: number; text: string }[]
  position: number
  onSelect: (p: number) => void
}

/** How the text was split: every token inline with its id; the selected position outlined. */
export function TokenStrip({ tokens, position, onSelect }: Props) {
  const { t } = useTranslation('inside')
  return (
    <div className="inside-tokens" data-testid="token-strip">
      {tokens.map((token, i) => (
        <button
          key={i}
          type="button"
          data-testid={`token-${i}`}
          className={i === position ? 'selected' : ''}
          title={t('tokenTitle', { position: i, id: token.id })}
          onClick={() => onSelect(i)}
        >
          <span className="text">{visibleToken(token.text)}</span>
          <span className="id">{token.id}</span>
        </button>
      ))}
    </div>
  )
}
