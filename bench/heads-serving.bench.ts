/*
 * Serving the policy heads (issue 9): per-item latency of the same heads,
 * with the same weights, in three runtimes:
 *
 * - onnxruntime-node: the registry's ONNX artefact (headsToOnnx), one session
 *   with one intra-op and one inter-op thread, as a serving thread holds it;
 * - tfjs on the wasm backend (tfRuntime), the trainer's runtime: the same
 *   forward pass written with tf ops;
 * - forwardHeads, the plain-JavaScript reference.
 *
 *   npm run bench:heads-serving [-- --quick] [-- --items N] [-- --rounds N]
 *
 * Batches of 1: an item is scored when it arrives. Items look like real ones
 * (randomItems): an image embedding after a ReLU, about half zeros, and a
 * hashed text vector with a few dozen non-zeros in 16384. Every score is
 * checked against forwardHeads. Rounds rotate which runtime goes first.
 */
import os from 'node:os';
import { forwardHeads, HeadWeights, headsToOnnx, OnnxModel, tfRuntime, TfRuntime } from '@loupe/ml';
import { maxAbsDifference, randomHeads, randomItems, RandomHeadsShape, seededRandom } from '../libs/ml/src/testing/random-heads';

const QUICK = process.argv.includes('--quick');
const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const ITEMS = Number(arg('--items') ?? (QUICK ? 50 : 300));
const ROUNDS = Number(arg('--rounds') ?? (QUICK ? 2 : 8));

const SHAPES: (RandomHeadsShape & { label: string })[] = [
  { label: 'logistic', imageDim: 1280, textDim: 16384, policies: 9 },
  { label: 'MLP, hidden 64', imageDim: 1280, textDim: 16384, policies: 9, hidden: 64 },
  { label: 'logistic', imageDim: 2560, textDim: 16384, policies: 9 },
  { label: 'MLP, hidden 64', imageDim: 2560, textDim: 16384, policies: 9, hidden: 64 },
];

type Runtime = 'onnxruntime' | 'tfjs' | 'forwardHeads';
const RUNTIMES: Runtime[] = ['onnxruntime', 'tfjs', 'forwardHeads'];
type Scorer = (image: Float32Array, text: Float32Array) => Promise<Float32Array>;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function onnxScorer(head: HeadWeights, model: OnnxModel): Scorer {
  return async (image, text) => {
    const out = await model.run({ image: { data: image, dims: [1, head.imageDim] }, text: { data: text, dims: [1, head.textDim] } });
    return out.scores.data;
  };
}

/** The forward pass of HeadWeights in tf ops; the weights are uploaded once. */
function tfScorer(head: HeadWeights, { tf }: TfRuntime): { score: Scorer; dispose: () => void } {
  const mean = tf.tensor1d(head.imageMean);
  const scale = tf.tensor1d(head.imageScale);
  const layers = head.layers.map((l) => ({ weights: tf.tensor2d(l.weights, [l.inputs, l.outputs]), bias: tf.tensor1d(l.bias), activation: l.activation }));
  const score: Scorer = async (image, text) => {
    const scores = tf.tidy(() => {
      const standardised = tf.mul(tf.sub(tf.tensor2d(image, [1, head.imageDim]), mean), scale);
      let x = tf.concat([standardised, tf.tensor2d(text, [1, head.textDim])], 1);
      for (const l of layers) {
        const linear = tf.add(tf.matMul(x, l.weights), l.bias);
        x = l.activation === 'relu' ? tf.relu(linear) : tf.sigmoid(linear);
      }
      return x;
    });
    const data = scores.dataSync() as Float32Array;
    scores.dispose();
    return data;
  };
  const dispose = () => [mean, scale, ...layers.flatMap((l) => [l.weights, l.bias])].forEach((t) => t.dispose());
  return { score, dispose };
}

interface Row {
  heads: string;
  runtime: Runtime;
  p50: number;
  p99: number;
  mean: number;
  maxDiff: number;
}

async function benchShape(shape: (typeof SHAPES)[number], tf: TfRuntime, seed: number): Promise<{ rows: Row[]; onnxBytes: number; loadMs: number }> {
  const random = seededRandom(seed);
  const head = randomHeads(random, shape);
  const { image, text } = randomItems(random, head, ITEMS);
  const expected = image.map((_, n) => forwardHeads(head, [image[n]], [text[n]]));

  const bytes = headsToOnnx(head, { bench: 'heads-serving' });
  const loadStarted = now();
  const model = await OnnxModel.load(bytes);
  const loadMs = now() - loadStarted;
  const tfHeads = tfScorer(head, tf);
  const scorers: Record<Runtime, Scorer> = {
    onnxruntime: onnxScorer(head, model),
    tfjs: tfHeads.score,
    forwardHeads: async (i, t) => forwardHeads(head, [i], [t]),
  };

  const times: Record<Runtime, number[]> = { onnxruntime: [], tfjs: [], forwardHeads: [] };
  const maxDiff: Record<Runtime, number> = { onnxruntime: 0, tfjs: 0, forwardHeads: 0 };
  // Untimed, one pass over the items: sessions, kernels and the JIT settle on first use.
  for (const runtime of RUNTIMES) for (let n = 0; n < ITEMS; n++) await scorers[runtime](image[n], text[n]);
  for (let round = 0; round < ROUNDS; round++) {
    const order = RUNTIMES.map((_, i) => RUNTIMES[(i + round) % RUNTIMES.length]);
    for (const runtime of order) {
      for (let n = 0; n < ITEMS; n++) {
        const started = now();
        const scores = await scorers[runtime](image[n], text[n]);
        times[runtime].push(now() - started);
        maxDiff[runtime] = Math.max(maxDiff[runtime], maxAbsDifference(scores, expected[n]));
      }
    }
  }
  tfHeads.dispose();
  await model.release();

  const heads = `${shape.label}, ${shape.imageDim} + ${shape.textDim} → ${shape.policies}`;
  const rows = RUNTIMES.map((runtime) => {
    const sorted = [...times[runtime]].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    return { heads, runtime, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean, maxDiff: maxDiff[runtime] };
  });
  return { rows, onnxBytes: bytes.length, loadMs };
}

async function main(): Promise<void> {
  const tf = await tfRuntime('wasm');
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const results = [];
  for (const [i, shape] of SHAPES.entries()) {
    results.push(await benchShape(shape, tf, 100 + i));
    process.stderr.write(`${i + 1}/${SHAPES.length} heads measured\n`);
  }
  const loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(' ');

  const ms = (v: number) => v.toFixed(3);
  const lines = [
    `- command: \`npm run bench:heads-serving${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
    `- date: ${new Date().toISOString()}`,
    `- machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`,
    `- load average (1/5/15 min): before ${loadBefore}, after ${loadAfter}`,
    `- ${ITEMS} items x ${ROUNDS} rounds per runtime and heads (after an untimed pass), batch of 1; tfjs backend ${tf.backend}; onnxruntime 1 intra-op + 1 inter-op thread`,
    '',
    '| heads | runtime | p50 ms | p99 ms | mean ms | max abs diff vs forwardHeads |',
    '|---|---|---:|---:|---:|---:|',
    ...results.flatMap(({ rows }) => rows.map((r) => `| ${r.heads} | ${r.runtime} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.mean)} | ${r.maxDiff.toExponential(1)} |`)),
    '',
    '| heads | ONNX size MB | session load ms | onnxruntime / tfjs p50 | onnxruntime / tfjs p99 | onnxruntime / forwardHeads p50 |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.map(({ rows, onnxBytes, loadMs }) => {
      const [ort, tfjs, js] = RUNTIMES.map((runtime) => rows.find((r) => r.runtime === runtime) as Row);
      const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
      return `| ${ort.heads} | ${(onnxBytes / 1e6).toFixed(2)} | ${loadMs.toFixed(0)} | ${ratio(ort.p50, tfjs.p50)} | ${ratio(ort.p99, tfjs.p99)} | ${ratio(ort.p50, js.p50)} |`;
    }),
  ];
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
