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
  theme: {
    label: 'Theme',
    system: 'Theme: as the system',
    light: 'Theme: light',
    dark: 'Theme: dark',
  },
  copy: {
    code: 'Copy',
    copied: 'Copied',
  },
  dismiss: 'Dismiss',
} as const
