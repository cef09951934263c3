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
  // One sentence per ApiError code (main/contract/define.ts); the back end's detail follows it.
  errors: {
    bad_request: 'That input was not accepted.',
    not_found: 'It could not be found.',
    conflict: 'That cannot be done right now.',
    needs_confirmation: 'This would replace or change something of yours. Go on?',
    busy: 'Glassbox is busy with another task; try again when it is done.',
    unauthorized: 'This page is not allowed to do that.',
    unsupported: 'That is not supported.',
    model_error: 'The model could not do that.',
    internal: 'Something went wrong inside Glassbox.',
    unavailable: 'That is not available right now.',
  },
} as const
