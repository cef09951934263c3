import { visibleToken } from './attentionMath'

interface Props {
  tokens: { id: number; text: string }[]
  position: number
  onSelect: (p: number) => void
}

/** How the text was split: every token inline with its id; the selected position outlined. */
export function TokenStrip({ tokens, position, onSelect }: Props) {
  return (
    <div className="inside-tokens" data-testid="token-strip">
      {tokens.map((t, i) => (
        <button
          key={i}
          type="button"
          data-testid={`token-${i}`}
          className={i === position ? 'selected' : ''}
          title={`position ${i} · id ${t.id}`}
          onClick={() => onSelect(i)}
        >
          <span className="text">{visibleToken(t.text)}</span>
          <span className="id">{t.id}</span>
        </button>
      ))}
    </div>
  )
}
