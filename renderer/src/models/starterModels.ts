// Small models known to run in Glassbox, one click each. Sizes are the safetensors weights
// (approximate; Details fetches the exact figure from the hub).
export interface StarterModel {
  repo: string
  approxBytes: number
  license: string
  /** Small and well studied: the context and attention views read well on it. */
  learning: boolean
}

export const starterModels: StarterModel[] = [
  {
    repo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    approxBytes: 269e6,
    license: 'apache-2.0',
    learning: true,
  },
  {
    repo: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    approxBytes: 724e6,
    license: 'apache-2.0',
    learning: false,
  },
  {
    repo: 'Qwen/Qwen2.5-0.5B-Instruct',
    approxBytes: 988e6,
    license: 'apache-2.0',
    learning: false,
  },
  { repo: 'openai-community/gpt2', approxBytes: 548e6, license: 'mit', learning: true },
]
