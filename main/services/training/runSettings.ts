// A run's settings and their defaults, apart from trainingRun.ts so that the main process can
// read them without loading onnxruntime (runs happen in a child: main/compute/trainingChild.ts).
import { DEFAULT_LORA_TARGETS } from '../../../native-models/training/loraTargets'

export interface RunSettings {
  modelDir: string
  dataPaths: string[]
  outDir: string
  /** Holds the checkpoint; resuming a run means calling again with the same runDir. */
  runDir: string
  mode: 'full' | 'lora'
  loraRank: number
  loraAlpha: number
  loraTargets: string[]
  loraDropout: number
  epochs: number
  /** Overrides epochs when > 0. */
  maxSteps: number
  batchSize: number
  seqLen: number
  learningRate: number
  warmupSteps: number
  weightDecay: number
  heldOutFraction: number
  checkpointEvery: number
  evalEvery: number
  seed: number
  threads: number
  /** Resume even though the data files differ from those the checkpoint was trained on. */
  acceptChangedData?: boolean
}

export const DEFAULT_SETTINGS: Omit<RunSettings, 'modelDir' | 'dataPaths' | 'outDir' | 'runDir'> = {
  mode: 'full',
  loraRank: 8,
  loraAlpha: 16,
  loraTargets: DEFAULT_LORA_TARGETS,
  loraDropout: 0,
  epochs: 1,
  maxSteps: 0,
  batchSize: 4,
  seqLen: 128,
  learningRate: 1e-3,
  warmupSteps: 10,
  weightDecay: 0.01,
  heldOutFraction: 0.1,
  checkpointEvery: 20,
  evalEvery: 10,
  seed: 42,
  threads: 0,
}
