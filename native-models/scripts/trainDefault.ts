import { Tokenizer } from '@huggingface/tokenizers'
import { cpus, totalmem } from 'node:os'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { writeSafetensors } from '../io/safetensors'
import { bpeTokenizerJson, trainBpe } from '../tokenizer-training/bpe'
import { Evaluator } from '../training/evaluator'
import { initLlamaWeights, llamaConfigJson, type LlamaShape } from '../training/initWeights'
import { toHfLayout, trainableForward } from '../training/modelTraining'
import { batchAt, packDocuments, type PackedData } from '../training/packing'
import { learningRate } from '../training/schedule'
import { Trainer } from '../training/trainer'
import { buildTrainingGraph } from '../training/trainingGraph'
import { fetchKjvText, kjvChapters, splitChapters } from './kjvCorpus'

// `npm run train:default`: builds the shipped default model from nothing: corpus from a
// Debian package, our BPE tokenizer, a small Llama trained by our own training graphs.
// Fixed seed; prints its time. `--steps 2 --tiny` is the smoke test's budget.

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      out: { type: 'string', default: 'native-models/default' },
      cache: { type: 'string', default: '.cache/default-model' },
      steps: { type: 'string', default: '800' },
      // Stop early on purpose while keeping the schedule planned for --steps (reproduces a
      // run that a time budget cut short).
      'stop-after': { type: 'string', default: '0' },
      'max-minutes': { type: 'string', default: '0' },
      tiny: { type: 'boolean', default: false },
      threads: { type: 'string', default: '2' },
      seed: { type: 'string', default: '1234' },
    },
  })

  const started = Date.now()
  const seconds = (): number => (Date.now() - started) / 1000
  const log = (msg: string): void => console.log(`[${seconds().toFixed(0).padStart(5)} s] ${msg}`)
  const seed = Number(args.seed)
  const tiny = args.tiny
  const outDir = resolve(args.out!)
  const threads = Number(args.threads)

  const raw = fetchKjvText(resolve(args.cache!))
  const corpus = kjvChapters(raw)
  let { train, heldOut } = splitChapters(corpus.chapters)
  if (tiny) {
    train = train.slice(0, 20)
    heldOut = heldOut.slice(0, 2)
  }
  const trainChars = train.reduce((n, c) => n + c.text.length, 0)
  log(
    `corpus: ${corpus.chapters.length} chapters, ${corpus.versesKept} verses (${corpus.duplicatesDropped} duplicate verses dropped); train ${train.length} chapters (${trainChars} chars), held-out ${heldOut.length}`,
  )

  const EOT = '<|endoftext|>'
  const vocabSize = tiny ? 512 : 4096
  const bpe = trainBpe(
    train.map((c) => c.text),
    { vocabSize, specialTokens: [EOT] },
  )
  const tokenizerJson = bpeTokenizerJson(bpe)
  const tokenizerConfig = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: EOT,
    eos_token: EOT,
    unk_token: null,
    model_max_length: 256,
    add_bos_token: false,
    clean_up_tokenization_spaces: false,
  }
  const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig)
  log(`tokenizer: byte-level BPE, ${bpe.vocab.size} tokens, ${bpe.merges.length} merges`)

  const seqLen = tiny ? 32 : 128
  const encode = (chs: typeof train): PackedData =>
    packDocuments(
      chs.map((c) => tokenizer.encode(c.text, { add_special_tokens: false }).ids),
      seqLen,
      0,
    )
  const trainData = encode(train)
  const heldOutData = encode(heldOut)
  log(
    `tokens: train ${trainData.count * seqLen}, held-out ${heldOutData.count * seqLen} (${seqLen}-token windows)`,
  )

  const shape: LlamaShape = tiny
    ? {
        vocabSize,
        hiddenSize: 32,
        layers: 1,
        heads: 2,
        kvHeads: 2,
        intermediateSize: 64,
        contextLength: 256,
        bosTokenId: 0,
        eosTokenId: 0,
      }
    : {
        vocabSize,
        hiddenSize: 192,
        layers: 4,
        heads: 4,
        kvHeads: 4,
        intermediateSize: 512,
        contextLength: 256,
        bosTokenId: 0,
        eosTokenId: 0,
      }
  const configJson = llamaConfigJson(shape)
  const { cfg, weights } = initLlamaWeights(configJson, seed)
  const fwd = trainableForward(cfg, weights)
  const batch = tiny ? 2 : 8
  const spec = {
    forward: fwd.model,
    inputIds: 'input_ids',
    logits: 'logits',
    vocabSize,
    batch,
    seqLen,
    trainable: fwd.weights,
    fixedInputs: fwd.fixedInputs(batch, seqLen),
  }
  const trainer = await Trainer.create(await buildTrainingGraph(spec), 'input_ids', { threads })
  const evaluator = await Evaluator.create(
    await buildTrainingGraph({ ...spec, mode: 'eval' }),
    'input_ids',
    batch,
    threads,
  )
  const params = trainer.graph.initial.reduce((n, p) => n + p.length, 0)
  log(
    `model: llama, ${params} parameters, hidden ${shape.hiddenSize}, ${shape.layers} layers, context ${shape.contextLength}`,
  )

  const steps = Number(args.steps)
  const maxSeconds = Number(args['max-minutes']) * 60
  const schedule = {
    peak: tiny ? 1e-2 : 3e-3,
    warmupSteps: Math.min(60, Math.ceil(steps / 10)),
    totalSteps: steps,
    minRatio: 0.1,
  }
  const curve: { step: number; loss: number; lr: number }[] = []
  const trainStart = Date.now()
  let done = 0
  const stopAfter = Number(args['stop-after']) || steps
  for (let s = 1; s <= Math.min(steps, stopAfter); s++) {
    const lr = learningRate(schedule, s)
    const r = await trainer.step([batchAt(trainData, batch, seed, s - 1)], lr)
    curve.push({ step: s, loss: r.loss, lr })
    done = s
    if (s % 25 === 0 || s === steps) {
      const rate = (s * batch * seqLen) / ((Date.now() - trainStart) / 1000)
      log(
        `step ${s}/${steps} loss ${r.loss.toFixed(3)} lr ${lr.toExponential(2)} ${rate.toFixed(0)} tok/s`,
      )
    }
    if (maxSeconds > 0 && seconds() > maxSeconds) {
      log(`time budget reached after ${s} steps`)
      break
    }
  }
  const trainSeconds = (Date.now() - trainStart) / 1000
  const tail = curve.slice(-20)
  const finalTrainLoss = tail.reduce((a, c) => a + c.loss, 0) / tail.length
  const heldOutLoss = await evaluator.loss(trainer.state.params, heldOutData)
  log(
    `held-out loss ${heldOutLoss.toFixed(3)} (perplexity ${Math.exp(heldOutLoss).toFixed(1)}), final train loss ${finalTrainLoss.toFixed(3)}`,
  )

  mkdirSync(outDir, { recursive: true })
  const tensors = fwd.weights.map((name, i) =>
    toHfLayout(cfg, name, trainer.graph.shapes[i], trainer.state.params[i]),
  )
  writeSafetensors(join(outDir, 'model.safetensors'), tensors, 'F16')
  writeFileSync(join(outDir, 'config.json'), JSON.stringify(configJson, null, 2) + '\n')
  writeFileSync(
    join(outDir, 'generation_config.json'),
    JSON.stringify(
      {
        bos_token_id: 0,
        eos_token_id: 0,
        do_sample: true,
        temperature: 0.8,
        top_k: 40,
        max_new_tokens: 120,
      },
      null,
      2,
    ) + '\n',
  )
  writeFileSync(join(outDir, 'tokenizer.json'), JSON.stringify(tokenizerJson))
  writeFileSync(
    join(outDir, 'tokenizer_config.json'),
    JSON.stringify(tokenizerConfig, null, 2) + '\n',
  )
  const report = {
    corpus: {
      source: 'Debian bible-kjv-text 4.38 (King James Version, public domain)',
      chapters: corpus.chapters.length,
      versesKept: corpus.versesKept,
      duplicateVersesDropped: corpus.duplicatesDropped,
      trainChapters: train.length,
      heldOutChapters: heldOut.length,
      trainTokens: trainData.count * seqLen,
      heldOutTokens: heldOutData.count * seqLen,
    },
    tokenizer: { type: 'byte-level BPE', vocabSize: bpe.vocab.size },
    model: { ...shape, parameters: params },
    training: {
      seed,
      steps: done,
      plannedSteps: steps,
      batch,
      seqLen,
      tokensSeen: done * batch * seqLen,
      schedule,
      optimizer: 'AdamW beta1 0.9 beta2 0.95 wd 0.1, clip 1.0',
      seconds: Math.round(trainSeconds),
      totalSeconds: Math.round(seconds()),
      threads,
    },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    finalTrainLoss,
    heldOutLoss,
    heldOutPerplexity: Math.exp(heldOutLoss),
    lossCurve: curve
      .filter((c) => c.step % 25 === 0 || c.step === done)
      .map((c) => [c.step, Number(c.loss.toFixed(4))]),
  }
  writeFileSync(join(outDir, 'training.json'), JSON.stringify(report, null, 2) + '\n')
  await trainer.release()
  await evaluator.release()
  log(`wrote ${outDir} in ${seconds().toFixed(0)} s (training ${trainSeconds.toFixed(0)} s)`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
