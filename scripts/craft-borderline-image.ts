/**
 * Makes test/fixtures/borderline-adult-nudity.png: a flat beige square nudged,
 * by signed-gradient steps on the baseline model (nsfwjs MobileNetV2), until
 * its adult-nudity score (Porn + Hentai + Sexy) is about 0.75: between the
 * catalog's review (0.6) and remove (0.95) thresholds, so the pipeline sends
 * it to human review. No real imagery is involved.
 *
 * The wasm backend has no gradient kernels, so this runs on the pure-JS CPU
 * backend: about 15 minutes on a 2-core machine. Run it only to remake the
 * fixture: npx tsx scripts/craft-borderline-image.ts
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as nsfwjs from 'nsfwjs';
import sharp from 'sharp';

const SIZE = 224;
const TARGET = 0.75;
// nsfwjs output order: Drawing, Hentai, Neutral, Porn, Sexy
const ADULT_CLASSES = tf.tensor1d([0, 1, 0, 1, 1]);

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const model = (await nsfwjs.load('MobileNetV2')) as unknown as { model: tf.LayersModel };
  const predict = (image: tf.Tensor) => (model.model.predict(image.div(255).expandDims(0)) as tf.Tensor).squeeze();
  let image = tf.fill([SIZE, SIZE, 3], 0).add(tf.tensor1d([200, 160, 140])) as tf.Tensor3D;
  for (let step = 0; step < 60; step++) {
    const score = tf.tidy(() => predict(image).mul(ADULT_CLASSES).sum().arraySync() as number);
    console.log(`step ${step}: adult score ${score.toFixed(3)}`);
    if (Math.abs(score - TARGET) < 0.05) break;
    const gradient = tf.grad((x: tf.Tensor) => predict(x).mul(ADULT_CLASSES).sum().sub(TARGET).square())(image);
    const next = tf.tidy(() => image.sub(gradient.sign().mul(2)).clipByValue(0, 255).round()) as tf.Tensor3D;
    gradient.dispose();
    image.dispose();
    image = next;
  }
  const pixels = Buffer.from(Uint8Array.from(await image.data()));
  const target = path.resolve(__dirname, '../test/fixtures/borderline-adult-nudity.png');
  await sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 3 } }).png().toFile(target);
  console.log(`wrote ${target}`);
}

void main();
