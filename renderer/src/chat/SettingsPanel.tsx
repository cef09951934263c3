// System prompt, chat/completion mode and the sampling knobs of one session.
import { useEffect, useState } from 'react'
import type { ChatSettings, SamplingSettings } from '../../../main/contract/chat'
import { reportError } from '../errors'
import { api } from '../platform'

interface Props {
  sessionId: number
  onChange?(settings: ChatSettings): void
}

type NumberKey = {
  [K in keyof SamplingSettings]: SamplingSettings[K] extends number ? K : never
}[keyof SamplingSettings]

const FIELDS: { key: NumberKey; label: string; step: number; hint: string }[] = [
  { key: 'temperature', label: 'Temperature', step: 0.05, hint: '0: always the likeliest token' },
  { key: 'topK', label: 'Top-k', step: 1, hint: '0: off' },
  { key: 'topP', label: 'Top-p', step: 0.01, hint: '1: off' },
  { key: 'minP', label: 'Min-p', step: 0.01, hint: '0: off' },
  { key: 'repetitionPenalty', label: 'Repetition penalty', step: 0.05, hint: '1: off' },
  { key: 'seed', label: 'Seed', step: 1, hint: 'same seed, same text (typing one fixes it)' },
  { key: 'maxTokens', label: 'Max tokens', step: 16, hint: 'answer length limit' },
]

export function SettingsPanel({ sessionId, onChange }: Props) {
  const [settings, setSettings] = useState<ChatSettings | null>(null)
  const [system, setSystem] = useState('')

  useEffect(() => {
    let live = true
    api.call('chat.getSettings', { sessionId }).then((s) => {
      if (!live) return
      setSettings(s)
      setSystem(s.systemPrompt)
    }, reportError)
    return () => {
      live = false
    }
  }, [sessionId])

  async function update(patch: Parameters<typeof api.call<'chat.updateSettings'>>[1]['patch']) {
    try {
      const next = await api.call('chat.updateSettings', { sessionId, patch })
      setSettings(next)
      onChange?.(next)
    } catch (err) {
      reportError(err)
    }
  }

  if (!settings) return <aside className="settings-panel" data-testid="settings-panel" />
  const s = settings.sampling
  return (
    <aside className="settings-panel" data-testid="settings-panel">
      <h2>Settings</h2>
      <label className="field">
        <span>System prompt</span>
        <textarea
          data-testid="system-prompt"
          rows={3}
          value={system}
          onChange={(e) => setSystem(e.target.value)}
          onBlur={() => system !== settings.systemPrompt && void update({ systemPrompt: system })}
        />
      </label>
      <label className="field">
        <span>Mode</span>
        <select
          data-testid="chat-mode"
          value={settings.mode}
          onChange={(e) => void update({ mode: e.target.value as ChatSettings['mode'] })}
        >
          <option value="chat">Chat (answers turns)</option>
          <option value="completion">Completion (continues the text)</option>
        </select>
      </label>
      <label className="field checkbox">
        <input
          type="checkbox"
          data-testid="sampling-greedy"
          checked={s.greedy}
          onChange={(e) => void update({ sampling: { greedy: e.target.checked } })}
        />
        <span>Greedy (no sampling)</span>
      </label>
      <label className="field checkbox" title="Keep going past the end-of-text token">
        <input
          type="checkbox"
          data-testid="sampling-ignoreEos"
          checked={s.ignoreEos}
          onChange={(e) => void update({ sampling: { ignoreEos: e.target.checked } })}
        />
        <span>Ignore end-of-text</span>
      </label>
      <label
        className="field checkbox"
        title="Regenerate gives a new answer; each answer shows its seed"
      >
        <input
          type="checkbox"
          data-testid="sampling-randomSeed"
          checked={settings.randomSeed}
          onChange={(e) => void update({ randomSeed: e.target.checked })}
        />
        <span>New seed for each answer</span>
      </label>
      <label
        className="field checkbox"
        title="For models whose chat template can switch thinking (Qwen3): reason in a <think> block before answering"
      >
        <input
          type="checkbox"
          data-testid="chat-thinking"
          checked={settings.thinking}
          onChange={(e) => void update({ thinking: e.target.checked })}
        />
        <span>Thinking (Qwen3)</span>
      </label>
      {FIELDS.map((f) => (
        <NumberField
          key={`${f.key}:${s[f.key]}`}
          testId={`sampling-${f.key}`}
          label={f.label}
          hint={f.hint}
          step={f.step}
          value={s[f.key]}
          onCommit={(v) => void update({ sampling: { [f.key]: v } })}
        />
      ))}
      <label className="field">
        <span>Stop strings (one per line)</span>
        <textarea
          data-testid="sampling-stop"
          rows={2}
          defaultValue={s.stop.join('\n')}
          onBlur={(e) =>
            void update({
              sampling: { stop: e.target.value.split('\n').filter((x) => x.length > 0) },
            })
          }
        />
      </label>
    </aside>
  )
}

function NumberField(props: {
  testId: string
  label: string
  hint: string
  step: number
  value: number
  onCommit(value: number): void
}) {
  // Remounted (keyed by value) when the saved value changes, so no syncing effect is needed.
  const [text, setText] = useState(String(props.value))
  const commit = () => {
    const v = Number(text)
    if (text.trim() !== '' && Number.isFinite(v) && v !== props.value) props.onCommit(v)
    else setText(String(props.value))
  }
  return (
    <label className="field" title={props.hint}>
      <span>{props.label}</span>
      <input
        type="number"
        data-testid={props.testId}
        step={props.step}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </label>
  )
}
