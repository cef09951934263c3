export default {
  heading: 'How a language model works',
  chapters: 'Chapters',
  chapterOf: 'Chapter {{n}} of {{total}}',
  previous: '← Previous',
  next: 'Next →',
  markDone: 'I have done this chapter',
  doneMark: 'done',
  tryThis: 'Try this',
  working: 'Working…',
  noModel: 'No model is selected: pick one in the Models tab.',
  open: {
    space: 'Open the Space tab',
    inside: 'Open the Inside tab',
    train: 'Open the Train tab',
    chat: 'Open the Chat tab',
    models: 'Open the Models tab',
  },
  pending: {
    note: 'This chapter is being written and will appear here soon.',
  },
  words: {
    title: 'Words as vectors',
    p1: 'A language model never sees letters. Every word (more exactly, every token) is turned into a list of numbers: a vector. Here are the 5,000 most common words of GloVe, 100 numbers each, squeezed into three dimensions by PCA so that you can look at them. Drag to turn the cloud.',
    p2: 'Words used in similar ways end up close together. The list shows the words nearest to “king”, scored by cosine similarity: 1 means the same direction, 0 unrelated. Near means similar in use, and no one wrote that down: it comes from text alone.',
    try: 'Look at the neighbours of “paris”',
    nearest: 'Nearest to “{{word}}”',
  },
  analogy: {
    title: 'Vector arithmetic',
    p1: 'Because directions in this space carry meaning, you can do arithmetic with words. Take the vector of “king”, subtract “man”, add “woman”, and look for the word nearest to the result: it is “queen”.',
    p2: 'The two arrows show why. The step from “man” to “king” (blue) is roughly the same as the step from “woman” to “queen” (green): one direction stands for “royal”, another for gender. Word2vec made this famous in 2013; these GloVe vectors behave the same way.',
    try: 'Paris − France + Italy',
  },
  word2vec: {
    title: 'Learning word vectors',
  },
  context: {
    title: 'Same word, different vectors',
    p1: 'A table of word vectors gives “bank” one vector, whether it is the bank of a river or a bank that lends money. A transformer fixes this: each layer mixes in information from the words around it, so the same word takes a different path through the layers in each sentence.',
    p2: 'Press “Show the paths”, then move the layer slider. At layer 0 every sentence starts from the same point, the word’s embedding; later layers pull the sentences apart, and the nearest tokens change with them.',
    small:
      'The selected model is the shipped one: 2.6 million parameters trained on the King James Bible. It is too small to tell the two senses of “bank” apart, so its paths hardly separate. Add a real model (for example Qwen2.5-0.5B) in the Models tab to see them part.',
    try: 'Try the word “light” in two senses',
  },
  attention: {
    title: 'Attention',
    p1: 'Attention is how a word reads the words before it. For each word (the query), every head gives each earlier word a weight; the weights add up to 1, and the word takes in a mix of what those words carry. Each layer has several heads, each looking for something different.',
    p2: 'Click a token on the left of the head view to choose the query. Thicker lines mean more weight.',
    previous:
      'Layer {{layer}}, head {{head}} reads the previous token: on average {{score}} of its weight goes to the word just before.',
    first:
      'Layer {{layer}}, head {{head}} reads the first token: {{score}} of its weight on average. Heads park there when they have nothing to look for.',
    showPrevious: 'Show the previous-token head',
    showFirst: 'Show the first-token head',
  },
  feedForward: {
    title: 'Feed-forward layers',
  },
  nextWord: {
    title: 'Predicting the next word',
    p1: 'Everything a language model does ends in one step: a probability for every token of its vocabulary, saying what is likely to come next. Generating text is only picking one and repeating.',
    top: 'After “{{text}}”, the model’s first guess is “{{token}}” with {{prob}} probability.',
    p2: 'The logit lens below reads each layer’s state through the output layer: what the model would guess if it stopped there. Read it from the bottom up to see the guess form, layer by layer.',
    try: 'Let it finish “And God said, Let there be”',
  },
  training: {
    title: 'Training is predicting the next word',
    p1: 'A model learns by predicting the next token of real text, again and again. The loss measures its surprise at the true next token (cross-entropy); backpropagation works out how each weight should move to lower it, and gradient descent moves them a little.',
    p2: 'Here the shipped model is trained further on a short text, 30 steps. Press “Start training” and watch the loss fall. It is fine-tuning a model that already knows some English, not training one from nothing.',
    loss: 'Loss: {{first}} at step {{firstStep}} → {{last}} at step {{lastStep}}',
    try: 'Drop a .txt file of your own in the box instead',
  },
  scale: {
    title: 'Scale',
    p1: 'The model you are using has {{params}} parameters. GPT-3 has 175 billion, and newer models more. The recipe is the same: vectors, attention, feed-forward layers, next-word prediction. What grows is the number of layers, the width of the vectors and the amount of text.',
    p2: 'Larger models trained on more text keep getting better at predicting the next word, and with that better at tasks nobody trained them for: translating, summarising, answering questions. Compare the shipped model with a real one from the Models tab on the same prompt.',
    loading: 'Counting the parameters…',
    try: 'Add a bigger model',
  },
  understand: {
    title: 'Does it understand?',
    p1: 'Researchers gave models stories like the one below, used to test whether children understand that others can hold false beliefs. Large models answer correctly. Does that mean they understand, or that they learned the pattern from text? Nobody agrees yet.',
    p2: 'Send the prompt (a real model gives a better answer than the shipped one), then look inside the answer: which words it attended to and what it expected at each step.',
    prompt:
      'Here is a bag filled with popcorn. There is no chocolate in the bag. Yet the label on the bag says “chocolate” and not “popcorn”. Sam finds the bag. She has never seen it before. She cannot see what is inside. She reads the label. She believes that the bag is full of',
    inside: 'Look inside the last answer',
    noAnswer: 'Send the prompt first: there is no answer to look inside yet.',
  },
} as const
