// The Learn tour's word2vec and feed-forward chapters.
export default {
  word2vec: {
    title: 'Learning word vectors',
    intro:
      'A word vector is learned, not written by hand. word2vec (skip-gram with negative sampling) reads a text and, for each word, tries to tell the words that really appear near it from random words. Each step nudges the vectors so that real neighbours score higher and random ones lower. Words used in the same places end up pointing the same way.',
    watch:
      'Watch the loss fall as the model gets better at the guessing game, and the words in the plot drift from a random cloud into groups. When training ends, pick a word to see its nearest neighbours by cosine similarity.',
    corpus: 'Text',
    corpusShipped: 'Genesis (King James Version, shipped)',
    corpusText: 'My own text',
    textPlaceholder: 'Paste a text here (a few thousand words or more works best).',
    window: 'Window',
    dims: 'Dimensions',
    negatives: 'Negatives',
    steps: 'Steps',
    train: 'Train',
    stop: 'Stop',
    progress: 'Step {{step}} of {{steps}} · loss {{loss}}',
    finished:
      'Trained {{steps}} steps in {{seconds}} s on {{words}} words ({{vocab}} in the vocabulary).',
    stopped: 'Stopped after {{steps}} steps.',
    plotTitle: 'The words in 3D (principal components), re-projected as they learn',
    lossTitle: 'Loss per step',
    stepAxis: 'step',
    lossAxis: 'loss',
    neighbours: 'Nearest neighbours of',
    notInVocab: '"{{word}}" is not in the vocabulary.',
    files: 'Or read .txt / .md files:',
    analogy: 'Analogy:',
    analogyMissing: 'one of these words is not in the vocabulary',
    similarity: 'cosine {{score}}',
    saved:
      'Saved as a source for the Space tab (Other sources, Import TSV): {{vectors}} and {{metadata}}',
  },
  ffn: {
    title: 'Feed-forward layers',
    intro:
      'After attention, every layer passes each position through a feed-forward block: thousands of neurons, each of which adds its own output vector to the residual stream, scaled by how strongly it fires. Reading that output vector through the unembedding (the matrix that turns the last hidden state into next-token scores) shows which tokens a neuron pushes up (Geva et al., 2022).',
    watch:
      'Pick a layer and a position: the list shows the neurons that moved the residual stream most there, and the tokens each one pushes up here (a neuron with a negative activation pushes its vector the other way; the tokens shown already take that into account). The bars show how much each layer’s feed-forward block changed this position.',
    text: 'Text',
    layer: 'Layer',
    position: 'Position',
    show: 'Show',
    model: 'Model: {{name}}',
    neuron: 'Neuron',
    activation: 'Activation',
    contribution: 'Contribution',
    promotes: 'Promotes',
    layerBars: 'Feed-forward output size per layer, at this position',
    layerBar: 'Layer {{layer}}',
    small:
      'On the small shipped model the promoted tokens are often fragments; a real model from the Models tab shows clearer concepts.',
  },
} as const
