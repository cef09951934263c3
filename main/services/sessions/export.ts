import type { Message, Session } from '../../contract/sessions'

export type ExportFormat = 'md' | 'json'

const ROLE = { user: 'You', assistant: 'Model', system: 'System' } as const

function statsLine(message: Message): string {
  const s = message.stats
  if (!s) return ''
  const parts = [
    s.modelName,
    s.completionTokens != null ? `${s.completionTokens} tokens` : null,
    s.tokensPerSecond != null ? `${s.tokensPerSecond.toFixed(1)} tokens/s` : null,
    s.timeToFirstTokenMs != null
      ? `first token after ${Math.round(s.timeToFirstTokenMs)} ms`
      : null,
  ].filter(Boolean)
  return parts.length ? ` · ${parts.join(' · ')}` : ''
}

/** One chat as a Markdown document or as JSON ({ session, messages } as the API returns them). */
export function exportSession(session: Session, messages: Message[], format: ExportFormat): string {
  if (format === 'json') {
    return JSON.stringify({ format: 'glassbox.session/1', session, messages }, null, 2) + '\n'
  }
  const lines = [`# ${session.title}`, '', `_Exported from Glassbox · ${messages.length} messages_`]
  for (const m of messages) {
    const when = new Date(m.createdAt).toISOString().replace('T', ' ').slice(0, 19)
    const status = m.status === 'complete' ? '' : ` · ${m.status}`
    lines.push('', `## ${ROLE[m.role]} · ${when}${statsLine(m)}${status}`, '', m.content)
  }
  return lines.join('\n') + '\n'
}

/** A file name from a chat title: letters, digits and dashes only, never empty. */
export function exportFilename(title: string, format: ExportFormat): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return `${base || 'chat'}.${format}`
}
