export default {
  brand: 'Glassbox',
  tabs: {
    chat: 'Chat',
    models: 'Models',
    space: 'Space',
    inside: 'Inside',
    train: 'Train',
    hardware: 'Hardware',
    api: 'API',
    learn: 'Learn',
  },
  connection: {
    connecting: 'Connecting to Glassbox…',
    reconnecting: 'The connection to Glassbox was lost; reconnecting…',
    unauthorized:
      'This page has no valid token. Open the exact URL that Glassbox printed when it started.',
  },
  language: {
    label: 'Language',
  },
  dismiss: 'Dismiss',
} as const
