// What the model's context cut from a turn, and why an answer ended, in words and numbers:
// nothing is limited silently (issue 19: "max tokens 2000 gave 128 with no reason").
import type { TFunction } from 'i18next'
import type { FinishReason, Message, PromptLimits } from '../../../main/contract/sessions'

type ChatT = TFunction<'chat'>

const n = (x: number, lang: string): string => x.toLocaleString(lang)

/** One sentence per thing the context cut; none when nothing was. */
export function limitSentences(l: PromptLimits, t: ChatT, lang: string): string[] {
  const out: string[] = []
  // 'ctx', not 'context': i18next reserves context for key variants.
  const ctx = n(l.contextLength, lang)
  if (l.maxTokens < l.requestedMaxTokens) {
    out.push(
      t('limits.maxTokens', {
        asked: n(l.requestedMaxTokens, lang),
        got: n(l.maxTokens, lang),
        ctx,
      }),
    )
  }
  if (l.fullPromptTokens > l.promptTokens) {
    const counts = {
      kept: n(l.promptTokens, lang),
      total: n(l.fullPromptTokens, lang),
      turns: n(l.droppedTurns, lang),
      ctx,
    }
    out.push(
      l.droppedTurns === 0
        ? t('limits.promptText', counts)
        : l.droppedTurns === 1
          ? t('limits.promptTurn', counts)
          : t('limits.promptTurns', counts),
    )
  }
  return out
}

/** The limits and the finish reason a stored answer keeps (absent on older messages). */
export function answerEnd(message: Message): {
  limits: PromptLimits | null
  finishReason: FinishReason | null
} {
  const p = message.stats?.params
  return { limits: p?.limits ?? null, finishReason: p?.finishReason ?? null }
}

/** "ended: …" for the stats line; length names the limit the answer had. */
export function finishSentence(
  reason: FinishReason,
  limits: PromptLimits | null,
  t: ChatT,
  lang: string,
): string {
  if (reason === 'length' && limits) {
    return t('finish.lengthOf', { max: n(limits.maxTokens, lang) })
  }
  return t(`finish.${reason}`)
}
