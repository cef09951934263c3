import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { suggest } from './spaceData'
import { displayToken } from './tokenText'

interface Props {
  words: readonly string[]
  onSearch: (word: string) => void
  testId?: string
  placeholder?: string
}

/** A word field with autocomplete from the space's own vocabulary. */
export function SearchBox({ words, onSearch, testId = 'space-search', placeholder }: Props) {
  const { t } = useTranslation('space')
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const options = useMemo(() => (open ? suggest(words, text) : []), [words, text, open])

  function choose(word: string) {
    setText(displayToken(word))
    setOpen(false)
    onSearch(word)
  }

  return (
    <div className="space-search">
      <input
        data-testid={testId}
        value={text}
        placeholder={placeholder ?? t('search')}
        onChange={(e) => {
          setText(e.target.value)
          setOpen(true)
          setActive(0)
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, options.length - 1))
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0))
          else if (e.key === 'Enter')
            choose(open && options[active] ? options[active] : text.trim())
          else if (e.key === 'Escape') setOpen(false)
        }}
      />
      {options.length > 0 && (
        <ul className="space-suggestions" role="listbox">
          {options.map((w, i) => (
            <li
              key={w}
              role="option"
              aria-selected={i === active}
              data-testid="space-suggestion"
              className={i === active ? 'active' : ''}
              onMouseDown={() => choose(w)}
            >
              {displayToken(w)}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
