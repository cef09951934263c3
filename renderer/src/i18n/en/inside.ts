export default {
  window: {
    showing:
      'Tokens {{from}}–{{to}} of {{total}}: the model reads at most {{size}} tokens at a time, so a longer text is looked at one window at a time (the window’s first tokens see nothing before it).',
    start: 'Window starts at token',
    earlier: 'Earlier',
    later: 'Later',
    analyse: 'Look inside this window',
  },
} as const
