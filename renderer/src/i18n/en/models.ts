export default {
  templateProblem:
    'Its chat template cannot be used, so it runs in completion mode (it continues your text): {{problem}}',
  broken: {
    badge: 'broken',
    hint: 'This entry cannot be used: {{problem}}',
  },
} as const
