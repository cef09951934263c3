export default {
  limits: {
    maxTokens:
      'Max tokens: asked {{asked}}, the model’s context ({{ctx}} tokens) leaves {{got}} — an answer gets at most half of it, less what the prompt needs.',
    promptText:
      'The prompt was cut to fit the context ({{ctx}} tokens): kept the last {{kept}} of {{total}} tokens; the start of the text was left out.',
    promptTurn:
      'The prompt was cut to fit the context ({{ctx}} tokens): kept the last {{kept}} of {{total}} tokens; the oldest turn was left out.',
    promptTurns:
      'The prompt was cut to fit the context ({{ctx}} tokens): kept the last {{kept}} of {{total}} tokens; the {{turns}} oldest turns were left out.',
  },
  finish: {
    eos: 'ended: the model ended its text',
    stop: 'ended: a stop string',
    length: 'ended: reached max tokens',
    lengthOf: 'ended: reached max tokens ({{max}})',
    cancelled: 'ended: stopped',
    error: 'ended: an error',
  },
  templateFallback:
    '{{model}}’s chat template cannot be used, so it continues your text instead (completion mode): {{problem}}',
} as const
