export default {
  loading: 'Loading…',
  title: 'OpenAI-compatible API',
  intro:
    "Other tools (editors, agents, notebooks, scripts) can use the local model through OpenAI's API on this computer only (127.0.0.1), with the key below.",
  serve: 'Serve the API',
  port: 'port',
  baseUrl: 'Base URL:',
  off: 'off',
  key: 'Key:',
  newKey: 'New key',
  saveSessions:
    'Save API conversations as sessions (marked "API"), to open them in Chat and Inside',
} as const
