/*
 * Heads (issue 9): which readout of the backbone, which head, and how fast
 * the trainer is.
 *
 *   npm run bench:heads [-- --quick] [-- --reps N] [-- --rows N]
 *
 * Part 1, the readout. Symbol, decoy and plain images (test/utils/factories/
 * symbol.factory.ts) go through the baseline backbone once per view; every
 * candidate readout comes from the same pass. For each option a head trains
 * on 200 labels (100 symbols, 50 decoys, 50 plain) drawn from a pool of
 * training images; its threshold is set where 5-fold out-of-fold recall on
 * those labels is 0.95 (a margin over the 0.90 target), and it is scored on
 * test images rendered from other seeds. Each draw of 200 is one repeat;
 * the table gives the mean over repeats.
 *
 * Part 2, the trainer: a full retrain (early stopping included) on 50,000
 * synthetic rows of the chosen readout's width plus a 16384-wide hashed
 * text part with about 40 non-zeros per row, on the wasm backend, one thread.
 */
import os from 'node:os';
import { HEAD_TRAINING_DEFAULTS, NsfwModel, trainHeads } from '@loupe/ml';
import { progressBar } from '../apps/cli/src/progress';
import { prng } from '../test/utils/factories/image.factory';
import { makeSymbolImage, SymbolKind } from '../test/utils/factories/symbol.factory';
import { averagePrecision, HeadOption, outOfFoldScores, score, testMetrics, thresholdForRecall, trainOption } from './heads-eval';
import { BenchImage, embedImage, FeatureExtractor, modelInput, View } from './heads-features';

const QUICK = process.argv.includes('--quick');
const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const REPS = Number(arg('--reps') ?? (QUICK ? 1 : 3));
const TRAINER_ROWS = Number(arg('--rows') ?? (QUICK ? 10_000 : 50_000));
/** Training pool (each repeat draws 100 + 50 + 50 from it) and test set, by kind. */
const POOL: Record<SymbolKind, number> = QUICK ? { symbol: 100, decoy: 50, plain: 50 } : { symbol: 150, decoy: 75, plain: 75 };
const TEST: Record<SymbolKind, number> = QUICK ? { symbol: 60, decoy: 60, plain: 30 } : { symbol: 150, decoy: 150, plain: 75 };
const DRAW: Record<SymbolKind, number> = { symbol: 100, decoy: 50, plain: 50 };
/** Seeds: a block per set and kind, so that no test image shares a seed (or a background) with a training one. */
const SEED_BASE = { train: { symbol: 10_000, decoy: 20_000, plain: 30_000 }, test: { symbol: 110_000, decoy: 120_000, plain: 130_000 } };
const RECALL_TARGET = 0.95;
const FOLDS = 5;
const TEXT_DIM = 16_384;
const TEXT_NONZEROS = 40;
const CHOSEN = 'midGem';

const single = (name: string, readout: HeadOption['readout'], hidden = 0): HeadOption => ({ name, readout, hidden, trainViews: [['whole']], testViews: ['whole'] });
const OPTIONS: HeadOption[] = [
  single('out_relu avg (`pooled`, today)', 'avg'),
  single('dense_1 (`dense`)', 'dense'),
  single('out_relu max', 'max'),
  single('out_relu avg+max', 'avg+max'),
  single('out_relu GeM', 'gem'),
  single('block_13 avg', 'midAvg'),
  single('block_13 max', 'midMax'),
  single('block_13 avg+max', 'midAvg+midMax'),
  single('block_13 GeM (`midGem`)', 'midGem'),
  single('out_relu avg, MLP 64', 'avg', 64),
  single('block_13 GeM, MLP 64', 'midGem', 64),
  { name: 'out_relu avg, trained on flips too', readout: 'avg', hidden: 0, trainViews: [['whole'], ['flip']], testViews: ['whole'] },
  { name: 'out_relu avg, mean of image + flip', readout: 'avg', hidden: 0, trainViews: [['whole', 'flip']], testViews: ['whole', 'flip'] },
  { name: 'block_13 GeM, mean of image + flip', readout: 'midGem', hidden: 0, trainViews: [['whole', 'flip']], testViews: ['whole', 'flip'] },
];
const VIEWS: View[] = ['whole', 'flip'];

const now = () => performance.now();
const fixed = (value: number, digits = 3) => value.toFixed(digits);

async function renderSet(extractor: FeatureExtractor, set: 'train' | 'test', counts: Record<SymbolKind, number>, bar: { tick(): void }): Promise<BenchImage[]> {
  const images: BenchImage[] = [];
  for (const kind of ['symbol', 'decoy', 'plain'] as const) {
    for (let i = 0; i < counts[kind]; i++) {
      images.push((await embedImage(extractor, SEED_BASE[set][kind] + i, kind, VIEWS)).image);
      bar.tick();
    }
  }
  return images;
}

function draw(pool: BenchImage[], repeat: number): BenchImage[] {
  const random = prng(9_000 + repeat);
  return (['symbol', 'decoy', 'plain'] as const).flatMap((kind) => {
    const members = pool.filter((image) => image.kind === kind);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    return members.slice(0, DRAW[kind]);
  });
}

/**
 * ms per image of the production pass (classifyWithEmbedding: probabilities,
 * pooled, dense and midGem together), and how far its midGem is from the
 * bench's own pooling of the grid (the field is computed in tfjs).
 */
async function productionPass(nsfw: NsfwModel, extractor: FeatureExtractor, images: number): Promise<{ ms: number; midGemDiff: number }> {
  const inputs = await Promise.all(Array.from({ length: images }, async (_, i) => modelInput(await makeSymbolImage({ seed: 500_000 + i, kind: 'symbol' }), 'whole')));
  await nsfw.classifyWithEmbedding(inputs[0]); // untimed: the four-output model is built on first use
  const started = now();
  const fields = [];
  for (const rgb of inputs) fields.push((await nsfw.classifyWithEmbedding(rgb)).embedding.midGem);
  const ms = (now() - started) / images;
  let midGemDiff = 0;
  for (const [i, rgb] of inputs.entries()) {
    const mine = (await extractor.pass(rgb)).midGem;
    fields[i].forEach((v, c) => (midGemDiff = Math.max(midGemDiff, Math.abs(v - mine[c]))));
  }
  return { ms, midGemDiff };
}

interface OptionRow {
  option: HeadOption;
  width: number;
  recall: number[];
  decoys: number[];
  plain: number[];
  prAuc: number[];
  oofPrAuc: number[];
}

async function evaluate(pool: BenchImage[], test: BenchImage[]): Promise<OptionRow[]> {
  const rows: OptionRow[] = [];
  const bar = progressBar('heads', OPTIONS.length * REPS);
  for (const option of OPTIONS) {
    const row: OptionRow = { option, width: 0, recall: [], decoys: [], plain: [], prAuc: [], oofPrAuc: [] };
    for (let repeat = 0; repeat < REPS; repeat++) {
      const train = draw(pool, repeat);
      const labels = train.map((image) => image.kind === 'symbol');
      const oof = await outOfFoldScores(train, option, {}, FOLDS, repeat + 1);
      const head = await trainOption(train, option, {});
      row.width = head.imageDim;
      const metrics = testMetrics(score(head, test, option), test, thresholdForRecall(oof, labels, RECALL_TARGET));
      row.recall.push(metrics.recall);
      row.decoys.push(metrics.decoysFlagged);
      row.plain.push(metrics.plainFlagged);
      row.prAuc.push(metrics.prAuc);
      row.oofPrAuc.push(averagePrecision(oof, labels));
      bar.update(rows.length * REPS + repeat + 1);
    }
    rows.push(row);
  }
  bar.stop();
  return rows;
}

/** Rows like real ones: a ReLU-like image vector and ~40 hashed text buckets; the label a noisy linear rule of both. */
function syntheticRows(rows: number, imageDim: number) {
  const random = prng(77);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const direction = Float32Array.from({ length: imageDim }, gauss);
  const signalWords = Int32Array.from({ length: 50 }, () => Math.floor(random() * TEXT_DIM));
  const image: Float32Array[] = [];
  const text = [];
  const targets = new Float32Array(rows);
  for (let n = 0; n < rows; n++) {
    const vector = Float32Array.from({ length: imageDim }, () => Math.max(0, gauss()));
    let logit = -1.5 + 0.6 * gauss();
    for (let i = 0; i < imageDim; i += 8) logit += (0.4 * direction[i] * (vector[i] - 0.4)) / Math.sqrt(imageDim / 8);
    const buckets = new Set<number>();
    while (buckets.size < TEXT_NONZEROS - 10 + Math.floor(random() * 21)) buckets.add(Math.floor(random() * TEXT_DIM));
    if (random() < 0.1) {
      buckets.add(signalWords[Math.floor(random() * signalWords.length)]);
      logit += 2;
    }
    const indices = Int32Array.from(buckets).sort();
    const values = Float32Array.from(indices, () => (random() < 0.5 ? -1 : 1) / Math.sqrt(indices.length));
    image.push(vector);
    text.push({ dimension: TEXT_DIM, indices, values });
    targets[n] = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { image, text, targets, weights: new Float32Array(rows).fill(1), policies: ['synthetic'], imageFeatures: `synthetic/${imageDim}`, textFeatures: `synthetic/${TEXT_DIM}` };
}

async function trainerThroughput(imageDim: number) {
  const data = syntheticRows(TRAINER_ROWS, imageDim);
  const started = now();
  const result = await trainHeads(data, {});
  const seconds = (now() - started) / 1000;
  const rates = result.history.map((e) => e.samplesPerSecond);
  // The MLP's cost per epoch, for comparison: one epoch is enough to measure it.
  const mlp = await trainHeads(data, { hidden: 64, epochs: 1 });
  return {
    seconds,
    epochsRun: result.epochsRun,
    bestEpoch: result.bestEpoch,
    fitRows: Math.round(TRAINER_ROWS * (1 - HEAD_TRAINING_DEFAULTS.validationShare)),
    samplesPerSecond: rates.reduce((a, b) => a + b, 0) / rates.length,
    overall: (result.epochsRun * Math.round(TRAINER_ROWS * (1 - HEAD_TRAINING_DEFAULTS.validationShare))) / seconds,
    mlpSamplesPerSecond: mlp.history.reduce((a, e) => a + e.samplesPerSecond, 0) / mlp.history.length,
  };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const started = now();
  const extractor = await FeatureExtractor.load();
  const total = Object.values(POOL).reduce((a, b) => a + b, 0) + Object.values(TEST).reduce((a, b) => a + b, 0);
  const renderBar = progressBar('images', total);
  let done = 0;
  const tick = { tick: () => renderBar.update(++done) };
  const pool = await renderSet(extractor, 'train', POOL, tick);
  const test = await renderSet(extractor, 'test', TEST, tick);
  renderBar.stop();
  const pass = await productionPass(extractor.nsfw, extractor, QUICK ? 5 : 20);
  const rows = await evaluate(pool, test);
  const trainer = await trainerThroughput(rows.find((r) => r.option.readout === CHOSEN && r.option.hidden === 0)!.width);
  const loadAfter = os.loadavg();

  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const range = (values: number[]) => (values.length > 1 ? ` (${fixed(Math.min(...values), 2)}–${fixed(Math.max(...values), 2)})` : '');
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const command = `npx tsx bench/heads.bench.ts${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}`;
  console.log(`- command: \`${command}\``);
  console.log(`- date: ${new Date().toISOString()}`);
  console.log(`- machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}; tfjs wasm backend, one thread`);
  console.log(`- load average (1/5/15 min): before ${loadBefore.map((l) => fixed(l, 2)).join(' ')}, after ${loadAfter.map((l) => fixed(l, 2)).join(' ')}; wall time ${fixed((now() - started) / 1000, 0)} s`);
  console.log(
    `- images: training pool ${POOL.symbol} symbols, ${POOL.decoy} decoys, ${POOL.plain} plain; test ${TEST.symbol} / ${TEST.decoy} / ${TEST.plain} (other seeds); ` +
      `${REPS} draw(s) of 100 / 50 / 50 labels; threshold at ${RECALL_TARGET} out-of-fold recall (${FOLDS} folds); head settings ${JSON.stringify(HEAD_TRAINING_DEFAULTS)}`,
  );
  console.log(`- one forward pass (classifyWithEmbedding, all readouts): ${fixed(pass.ms, 1)} ms per image; midGem from NsfwModel vs the bench's own pooling: max abs diff ${pass.midGemDiff.toExponential(1)}\n`);
  console.log('| option | width | passes | recall on symbols | decoys flagged | plain flagged | PR-AUC | out-of-fold PR-AUC | ms per image |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const passes = row.option.testViews.length;
    const extra = row.option.trainViews.length > 1 ? ' (+1 pass per label to train)' : '';
    console.log(
      `| ${row.option.name} | ${row.width} | ${passes}${extra} | ${fixed(mean(row.recall))}${range(row.recall)} | ${fixed(mean(row.decoys))}${range(row.decoys)} | ${fixed(mean(row.plain))} | ${fixed(mean(row.prAuc))} | ${fixed(mean(row.oofPrAuc))} | ${fixed(pass.ms * passes, 0)} |`,
    );
  }
  console.log(`\nTrainer, ${TRAINER_ROWS.toLocaleString('en')} synthetic rows (${trainer.fitRows.toLocaleString('en')} fitted), ${rows.find((r) => r.option.readout === CHOSEN)!.width} image + ${TEXT_DIM} text (~${TEXT_NONZEROS} non-zeros):\n`);
  console.log('| head | epochs run (best) | full retrain s | samples/s per epoch | samples/s overall |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| logistic (defaults) | ${trainer.epochsRun} (${trainer.bestEpoch}) | ${fixed(trainer.seconds, 1)} | ${Math.round(trainer.samplesPerSecond).toLocaleString('en')} | ${Math.round(trainer.overall).toLocaleString('en')} |`);
  console.log(`| MLP, hidden 64 (1 epoch) | | | ${Math.round(trainer.mlpSamplesPerSecond).toLocaleString('en')} | |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
