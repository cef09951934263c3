import type { ScoredWord } from '../../../main/contract/space'
import { displayToken } from './tokenText'
import { useFormat } from '../i18n/format'

interface Props {
  title: string
  results: ScoredWord[]
  testId: string
  onChoose: (word: string) => void
}

/** Neighbours or analogy answers with their cosine scores; a click makes one the selection. */
export function WordList({ title, results, testId, onChoose }: Props) {
  const format = useFormat()
  if (results.length === 0) return null
  return (
    <section className="space-wordlist" data-testid={testId}>
      <h3>{title}</h3>
      <ol>
        {results.map((r) => (
          <li key={r.index} data-testid={`${testId}-item`} onClick={() => onChoose(r.word)}>
            <span className="word">{displayToken(r.word)}</span>
            <span className="score">{format.number(r.score, 3)}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
