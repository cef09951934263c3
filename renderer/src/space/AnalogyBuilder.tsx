import { useState } from 'react'
import { useTranslation } from 'react-i18next'

interface Props {
  onRun: (a: string, b: string, c: string) => void
  busy: boolean
  initial?: [string, string, string]
}

/** a − b + c: "king − man + woman". The answers and arrows are drawn by the view. */
export function AnalogyBuilder({ onRun, busy, initial = ['king', 'man', 'woman'] }: Props) {
  const { t } = useTranslation('space')
  const [a, setA] = useState(initial[0])
  const [b, setB] = useState(initial[1])
  const [c, setC] = useState(initial[2])
  return (
    <form
      className="space-analogy"
      onSubmit={(e) => {
        e.preventDefault()
        if (a.trim() && b.trim() && c.trim()) onRun(a.trim(), b.trim(), c.trim())
      }}
    >
      <h3>{t('analogyTitle')}</h3>
      <div className="space-analogy-row">
        <input data-testid="space-analogy-a" value={a} onChange={(e) => setA(e.target.value)} />
        <span>−</span>
        <input data-testid="space-analogy-b" value={b} onChange={(e) => setB(e.target.value)} />
        <span>+</span>
        <input data-testid="space-analogy-c" value={c} onChange={(e) => setC(e.target.value)} />
        <button type="submit" data-testid="space-analogy-run" disabled={busy}>
          =
        </button>
      </div>
    </form>
  )
}
