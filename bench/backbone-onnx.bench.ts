/*
 * The backbone on onnxruntime (issue 11): nsfwjs's MobileNetV2 exported by
 * Loupe's own layers-to-onnx (exportBackbone) against the same model on tfjs,
 * as each would serve one image:
 *
 * - tfjs on the wasm backend (one thread: Node has no wasm threads),
 *   NsfwModel.classifyWithEmbedding: bytes → tensor, / 255, the forward pass
 *   with the embedding's layers, the GeM pool, and the values read back;
 * - onnxruntime-node, one session (OnnxModel: intra-op and inter-op threads 1),
 *   pixelsToTensor (the / 255) and one run giving the same four outputs.
 *
 *   npm run bench:backbone-onnx [-- --images N] [-- --rounds N] [-- --parity N]
 *
 * Latency: the same images for both, one at a time, the order alternating
 * per image (tfjs first on even images, onnxruntime first on odd ones, the
 * other way round in the next round), after a warm-up. The load average is
 * printed with the machine: on a shared machine it explains a slow p99. Parity: the largest absolute difference of each output over
 * `--parity` images (100 by default; the spec checks 20).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { exportBackbone, NsfwModel, OnnxModel, pixelsToTensor } from '@loupe/ml';
import { backboneDifferences, backboneImages } from '../libs/ml/src/testing/backbone-images';

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const IMAGES = Number(arg('--images') ?? 40);
const ROUNDS = Number(arg('--rounds') ?? 3);
const PARITY = Number(arg('--parity') ?? 100);
const WARM_UP = 5;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { min: sorted[0], p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
};

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown CPU';
  }
}

async function main(): Promise<void> {
  const tfjs = await NsfwModel.load('wasm');
  const exportStart = now();
  const exported = await exportBackbone({ model: tfjs });
  const exportMs = now() - exportStart;
  const onnx = await OnnxModel.load(exported.bytes);

  const runTfjs = (rgb: Uint8Array) => tfjs.classifyWithEmbedding(rgb);
  const runOnnx = (rgb: Uint8Array) => onnx.run({ pixels: pixelsToTensor([rgb], 'nhwc') });
  for (const rgb of backboneImages(WARM_UP, 99)) {
    await runTfjs(rgb);
    await runOnnx(rgb);
  }

  const times = { tfjs: [] as number[], onnx: [] as number[] };
  const timed = async (into: number[], run: () => Promise<unknown>) => {
    const start = now();
    await run();
    into.push(now() - start);
  };
  const latencyImages = backboneImages(IMAGES, 7);
  const loadBefore = os.loadavg()[0];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, rgb] of latencyImages.entries()) {
      const tfjsRun = () => timed(times.tfjs, () => runTfjs(rgb));
      const onnxRun = () => timed(times.onnx, () => runOnnx(rgb));
      if ((i + round) % 2 === 0) {
        await tfjsRun();
        await onnxRun();
      } else {
        await onnxRun();
        await tfjsRun();
      }
    }
  }
  const loadAfter = os.loadavg()[0];

  const worst = { probabilities: 0, pooled: 0, dense: 0, midGem: 0 };
  let sameTopClass = 0;
  for (const rgb of backboneImages(PARITY)) {
    const reference = await runTfjs(rgb);
    const out = await runOnnx(rgb);
    const differences = backboneDifferences(reference, out);
    for (const key of Object.keys(worst) as (keyof typeof worst)[]) worst[key] = Math.max(worst[key], differences.worst[key]);
    if (differences.sameTopClass) sameTopClass++;
  }
  await onnx.release();

  const t = summary(times.tfjs);
  const o = summary(times.onnx);
  const ms = (v: number) => v.toFixed(1);
  const lines = [
    `- command: \`npm run bench:backbone-onnx\` (${IMAGES} images × ${ROUNDS} rounds for latency, ${PARITY} images for parity)`,
    `- machine: ${cpuModel()}, ${os.cpus().length} cores, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} (1 min)`,
    `- model: ${exported.metadata.backbone}, exported by layers-to-onnx ${exported.metadata.exporterVersion} in ${(exportMs / 1000).toFixed(1)} s: ${(exported.bytes.length / 1e6).toFixed(1)} MB, sha256 ${exported.sha256.slice(0, 16)}…`,
    '',
    // The minimum: what an image costs when no other process takes the core.
    '| runtime | min ms | p50 ms | p99 ms | mean ms |',
    '|---|---:|---:|---:|---:|',
    `| tfjs wasm, one thread (classifyWithEmbedding) | ${ms(t.min)} | ${ms(t.p50)} | ${ms(t.p99)} | ${ms(t.mean)} |`,
    `| onnxruntime-node, 1 intra-op thread (pixelsToTensor + run) | ${ms(o.min)} | ${ms(o.p50)} | ${ms(o.p99)} | ${ms(o.mean)} |`,
    '',
    `- ratio (tfjs / onnxruntime): min ${(t.min / o.min).toFixed(1)}×, p50 ${(t.p50 / o.p50).toFixed(1)}×, p99 ${(t.p99 / o.p99).toFixed(1)}×`,
    '',
    `| output (max abs difference over ${PARITY} images) | value |`,
    '|---|---:|',
    ...Object.entries(worst).map(([key, value]) => `| ${key} | ${value.toExponential(2)} |`),
    '',
    `- same top class in ${sameTopClass} of ${PARITY} images`,
  ];
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
