import { useEffect, useState } from 'react'
import { api } from '../platform'
import type { MethodOutput } from '../../../main/contract'
import type { LossPoint } from './LossChart'

type Run = MethodOutput<'training.listRuns'>['runs'][number]
type Comparison = MethodOutput<'training.compare'>

const ppl = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2))

/** The runs history, and the before/after panel for a finished run. */
export function RunsPanel({
  version,
  activeRunId,
  onShow,
}: {
  version: number
  activeRunId: number | null
  onShow: (id: number, metrics: LossPoint[]) => void
}) {
  const [runs, setRuns] = useState<Run[]>([])
  const [prompt, setPrompt] = useState('And God said')
  const [comparison, setComparison] = useState<Comparison | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')

  useEffect(() => {
    void api.call('training.listRuns', {}).then((r) => setRuns(r.runs))
  }, [version])

  const [chosen, setChosen] = useState<{ runId: number; text: string } | null>(null)
  const active = runs.find((r) => r.id === activeRunId)
  const chooseForChat = async (runId: number, dir: string): Promise<void> => {
    try {
      // Registered when the run finished; adding again returns the same entry.
      const model = await api.call('models.add', { path: dir })
      await api.call('models.select', { id: model.id })
      setChosen({ runId, text: `${model.name} is now the model new chats use (Chat tab).` })
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const compare = async (): Promise<void> => {
    if (!active) return
    setBusy(true)
    setError('')
    try {
      setComparison(await api.call('training.compare', { runId: active.id, prompt, maxTokens: 24 }))
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="runs-panel">
      <h2>Runs</h2>
      <table className="runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Status</th>
            <th>Steps</th>
            <th>Held-out perplexity</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr
              key={r.id}
              data-testid="run-row"
              onClick={() =>
                void api
                  .call('training.getRun', { runId: r.id })
                  .then((g) => onShow(r.id, g.metrics))
              }
            >
              <td>{r.id}</td>
              <td>{r.status}</td>
              <td>
                {r.step}/{r.totalSteps}
              </td>
              <td>
                {ppl(r.baseValLoss === null ? null : Math.exp(r.baseValLoss))} →{' '}
                {ppl(r.finalValLoss === null ? null : Math.exp(r.finalValLoss))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {active?.status === 'finished' && (
        <div className="trained-model" data-testid="trained-model">
          <p>
            The trained model is in <code data-testid="trained-folder">{active.outDir}</code>, and
            listed in Models.
          </p>
          <button
            data-testid="use-in-chat"
            onClick={() => void chooseForChat(active.id, active.outDir)}
          >
            Use in chat
          </button>
          {chosen?.runId === active.id && (
            <span data-testid="use-in-chat-done"> {chosen.text}</span>
          )}
        </div>
      )}
      {active?.status === 'finished' && (
        <div className="compare" data-testid="compare-panel">
          <h2>Before and after</h2>
          <input
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            data-testid="compare-prompt"
          />
          <button onClick={() => void compare()} disabled={busy} data-testid="compare-run">
            {busy ? 'Generating…' : 'Compare'}
          </button>
          {error && <p className="train-error">{error}</p>}
          {comparison && (
            <div className="compare-columns">
              <div data-testid="compare-base">
                <h3>Base model (perplexity {ppl(comparison.base.heldOutPerplexity)})</h3>
                <p>
                  <b>{prompt}</b>
                  {comparison.base.text}
                </p>
              </div>
              <div data-testid="compare-tuned">
                <h3>Fine-tuned (perplexity {ppl(comparison.tuned.heldOutPerplexity)})</h3>
                <p>
                  <b>{prompt}</b>
                  {comparison.tuned.text}
                </p>
              </div>
            </div>
          )}
        </div>
      )}
    </div>
  )
}
