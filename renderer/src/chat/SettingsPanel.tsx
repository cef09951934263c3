// System prompt, chat/completion mode and the sampling knobs of one session.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ChatSettings, SamplingSettings } from '../../../main/contract/chat'
import { reportError } from '../errors'
import { api } from '../platform'
import { Select } from '../ui/Select'

interface Props {
  sessionId: number
  onChange?(settings: ChatSettings): void
}

type NumberKey = {
  [K in keyof SamplingSettings]: SamplingSettings[K] extends number ? K : never
}[keyof SamplingSettings]

// Labels and hints are settings.field.<key> and settings.hint.<key> in the chat catalogue.
const FIELDS: { key: NumberKey; step: number }[] = [
  { key: 'temperature', step: 0.05 },
  { key: 'topK', step: 1 },
  { key: 'topP', step: 0.01 },
  { key: 'minP', step: 0.01 },
  { key: 'repetitionPenalty', step: 0.05 },
  { key: 'seed', step: 1 },
  { key: 'maxTokens', step: 16 },
]

export function SettingsPanel({ sessionId, onChange }: Props) {
  const { t } = useTranslation('chat')
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
      <h2>{t('settings.title')}</h2>
      <label className="field">
        <span>{t('settings.systemPrompt')}</span>
        <textarea
          data-testid="system-prompt"
          rows={3}
          value={system}
          onChange={(e) => setSystem(e.target.value)}
          onBlur={() => system !== settings.systemPrompt && void update({ systemPrompt: system })}
        />
      </label>
      <label className="field">
        <span>{t('settings.mode')}</span>
        <Select
          testId="chat-mode"
          value={settings.mode}
          onChange={(mode) => void update({ mode })}
          options={[
            { value: 'chat', label: t('settings.modeChat') },
            { value: 'completion', label: t('settings.modeCompletion') },
          ]}
        />
      </label>
      <label className="field checkbox">
        <input
          type="checkbox"
          data-testid="sampling-greedy"
          checked={s.greedy}
          onChange={(e) => void update({ sampling: { greedy: e.target.checked } })}
        />
        <span>{t('settings.greedy')}</span>
      </label>
      <label className="field checkbox" title={t('settings.ignoreEosHint')}>
        <input
          type="checkbox"
          data-testid="sampling-ignoreEos"
          checked={s.ignoreEos}
          onChange={(e) => void update({ sampling: { ignoreEos: e.target.checked } })}
        />
        <span>{t('settings.ignoreEos')}</span>
      </label>
      <label className="field checkbox" title={t('settings.randomSeedHint')}>
        <input
          type="checkbox"
          data-testid="sampling-randomSeed"
          checked={settings.randomSeed}
          onChange={(e) => void update({ randomSeed: e.target.checked })}
        />
        <span>{t('settings.randomSeed')}</span>
      </label>
      <label className="field checkbox" title={t('settings.thinkingHint')}>
        <input
          type="checkbox"
          data-testid="chat-thinking"
          checked={settings.thinking}
          onChange={(e) => void update({ thinking: e.target.checked })}
        />
        <span>{t('settings.thinking')}</span>
      </label>
      {FIELDS.map((f) => (
        <NumberField
          key={`${f.key}:${s[f.key]}`}
          testId={`sampling-${f.key}`}
          label={t(`settings.field.${f.key}`)}
          hint={t(`settings.hint.${f.key}`)}
          step={f.step}
          value={s[f.key]}
          onCommit={(v) => void update({ sampling: { [f.key]: v } })}
        />
      ))}
      <label className="field">
        <span>{t('settings.stop')}</span>
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
