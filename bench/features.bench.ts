/*
 * The image embedding's cost: the baseline classifier (nsfwjs MobileNetV2 on
 * tfjs, the backend the compute threads use) scoring alone, against scoring
 * and embedding in the same forward pass (NsfwModel.classifyWithEmbedding:
 * the 1280-wide pooled features and the 256-wide dense layer).
 *
 *   npm run bench:features [-- --quick] [-- --images N] [-- --rounds N]
 *
 * One thread, as one compute thread runs it. Rounds alternate which of the
 * two goes first, so that neither always runs on a warmer machine.
 */
import os from 'node:os';
import { NSFW_INPUT_SIZE, NsfwModel } from '@loupe/ml';
import { progressBar } from '../apps/cli/src/progress';

const QUICK = process.argv.includes('--quick');
const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const IMAGES = Number(arg('--images') ?? (QUICK ? 10 : 40));
const ROUNDS = Number(arg('--rounds') ?? (QUICK ? 2 : 6));

function image(seed: number): Uint8Array {
  const rgb = new Uint8Array(NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (Math.sin(i * 0.0007 * (seed + 1)) * 100 + 128 + ((i * seed) % 17)) | 0;
  return rgb;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  const model = await NsfwModel.load('auto');
  const images = Array.from({ length: IMAGES }, (_, i) => image(i));
  // Untimed: kernels and the three-output model are built on first use.
  for (const rgb of images.slice(0, 3)) {
    await model.classify(rgb);
    await model.classifyWithEmbedding(rgb);
  }
  const times = { classify: [] as number[], embed: [] as number[] };
  const bar = progressBar('rounds', ROUNDS);
  let backend = '';
  for (let round = 0; round < ROUNDS; round++) {
    const order: (keyof typeof times)[] = round % 2 === 0 ? ['classify', 'embed'] : ['embed', 'classify'];
    for (const which of order) {
      for (const rgb of images) {
        const started = now();
        const result = which === 'classify' ? await model.classify(rgb) : await model.classifyWithEmbedding(rgb);
        times[which].push(now() - started);
        backend = result.backend;
      }
    }
    bar.update(round + 1);
  }
  bar.stop();
  const row = (label: string, list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    const mean = list.reduce((a, b) => a + b, 0) / list.length;
    return { label, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
  };
  const classify = row('classify (probabilities)', times.classify);
  const embed = row('classify + embedding, one pass', times.embed);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`tfjs backend ${backend}; ${os.cpus().length} cores (${cpu}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`${IMAGES} images of 224x224, ${ROUNDS} rounds; ms per image\n`);
  console.log('| pass | p50 | p99 | mean |');
  console.log('|---|---:|---:|---:|');
  for (const r of [classify, embed]) console.log(`| ${r.label} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.mean.toFixed(1)} |`);
  console.log(`\nRatio, one pass with the embedding / classification alone: p50 ${(embed.p50 / classify.p50).toFixed(2)}x, mean ${(embed.mean / classify.mean).toFixed(2)}x`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
