import type { TrainingSettings } from '../../../main/contract/training'

// The short text the training chapters learn, repeated so that a couple of hundred small
// steps see it many times and an untrained model visibly learns it.
const RHYME = [
  'Twinkle, twinkle, little star, how I wonder what you are.',
  'Up above the world so high, like a diamond in the sky.',
  'When the blazing sun is gone, when he nothing shines upon,',
  'then you show your little light, twinkle, twinkle, all the night.',
].join('\n')

export const COURSE_FILE = {
  name: 'twinkle.txt',
  text: Array.from({ length: 12 }, () => RHYME).join('\n\n'),
}

/** Training from random weights: a higher learning rate than fine-tuning wants. */
export const SCRATCH_SETTINGS: Partial<TrainingSettings> = {
  mode: 'full',
  maxSteps: 200,
  batchSize: 4,
  seqLen: 32,
  learningRate: 0.003,
  warmupSteps: 10,
  evalEvery: 25,
  checkpointEvery: 100,
}
