export default {
  templateFallback:
    '{{model}}’s chat template cannot be used, so it continues your text instead (completion mode): {{problem}}',
} as const
