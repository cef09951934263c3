export default {
  templateProblem:
    'Its chat template cannot be used, so it runs in completion mode (it continues your text): {{problem}}',
  broken: {
    badge: 'broken',
    hint: 'This entry cannot be used: {{problem}}',
  },
  hubSettings: {
    title: 'Hub access and cache',
    tokenLabel: 'Hugging Face token',
    tokenPlaceholder: 'hf_… (for gated or private repos)',
    save: 'Save token',
    clear: 'Clear saved token',
    source: {
      env: 'Using the token from HF_TOKEN.',
      saved: 'Using the token saved here.',
      'hf-home': 'Using the token huggingface-cli saved (HF_HOME/token).',
      none: 'No token: public repos only.',
    },
    savedEncrypted: 'Saved, encrypted by the system keychain.',
    savedFile: 'Saved in a file only you can read.',
    envWins: 'HF_TOKEN is set, so it is used instead of the saved token.',
    cacheLabel: 'Hub cache folder',
    cacheSource: {
      setting: 'picked here',
      env: 'from HF_HUB_CACHE / HF_HOME',
      default: 'the default',
    },
    cacheChange: 'Change',
    cacheBrowse: 'Choose…',
    cacheSave: 'Use this folder',
    cacheReset: 'Back to the default',
    cancel: 'Cancel',
    proxy: 'Requests go through the proxy in HTTPS_PROXY / HTTP_PROXY.',
  },
  unfinished: {
    title: 'Unfinished downloads',
    paused: 'paused — resume',
  },
  rename: {
    button: 'Rename',
    label: 'New name',
    save: 'Save',
    cancel: 'Cancel',
  },
  picker: {
    open: 'Choose…',
    title: 'Choose a model folder',
    up: 'Up',
    close: 'Close',
    choose: 'Add this folder',
    chooseAny: 'Use this folder',
    chooseFile: 'Add',
    model: {
      safetensors: 'model (safetensors)',
      gguf: 'GGUF files',
    },
    place: {
      home: 'Home',
      'hf-cache': 'Hugging Face cache',
      lmstudio: 'LM Studio',
      ollama: 'Ollama',
    },
    empty: 'No sub-folders here.',
    notModel:
      'This folder does not look like a model (no config.json with .safetensors, no .gguf).',
  },
} as const
