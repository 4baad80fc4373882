import { NSFW_CLASSES, NSFW_INPUT_SIZE } from '../nsfw-model';
import { BACKBONE_ONNX_OUTPUTS } from '../onnx/backbone-export';
import { maxAbsDifference } from './random-heads';
import { seededRandom } from '../heads/head-batches';

/*
 * 224 × 224 RGB frames for comparing the backbone on two runtimes: seeded,
 * and of several kinds so that both runtimes meet smooth shading, hard
 * edges, pixel noise and flat extremes (all 0, all 255): a padding or layout
 * mistake shows on some kind even when another hides it.
 */

export const BACKBONE_IMAGE_KINDS = ['waves', 'shapes', 'noise', 'blocks', 'flat'] as const;
export type BackboneImageKind = (typeof BACKBONE_IMAGE_KINDS)[number];

/** Image `index` of a sequence: the kinds take turns, each image with its own seed. */
export function backboneImage(index: number, seed = 1): Uint8Array {
  const kind = BACKBONE_IMAGE_KINDS[index % BACKBONE_IMAGE_KINDS.length];
  return backboneImageOf(kind, seededRandom(seed * 100_003 + index));
}

export function backboneImages(count: number, seed = 1): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => backboneImage(i, seed));
}

function backboneImageOf(kind: BackboneImageKind, random: () => number): Uint8Array {
  // Local names for Math's functions: under Jest's vm every global lookup is slow.
  const { sin, cos, floor, min, max, abs, PI } = Math;
  const size = NSFW_INPUT_SIZE;
  const rgb = new Uint8Array(size * size * 3);
  const put = (x: number, y: number, c: number, v: number) => (rgb[(y * size + x) * 3 + c] = max(0, min(255, floor(v))));

  if (kind === 'flat') {
    const value = random() < 0.5 ? 0 : 255;
    return rgb.fill(value);
  }
  if (kind === 'noise') {
    for (let i = 0; i < rgb.length; i++) rgb[i] = floor(random() * 256);
    return rgb;
  }
  if (kind === 'blocks') {
    // Pixel blocks of an odd size: their edges fall across the stride-2 layers' grid.
    const block = 3 + 2 * floor(random() * 6);
    const colours = Array.from({ length: 64 }, () => [random() * 256, random() * 256, random() * 256]);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const colour = colours[(floor(x / block) * 7 + floor(y / block) * 13) % colours.length];
        for (let c = 0; c < 3; c++) put(x, y, c, colour[c]);
      }
    }
    return rgb;
  }
  const waves = Array.from({ length: 6 }, () => ({
    fx: (random() * 2 - 1) * 0.2,
    fy: (random() * 2 - 1) * 0.2,
    phase: random() * 2 * PI,
    amplitude: 20 + random() * 60,
    channel: floor(random() * 3),
  }));
  const base = [random() * 255, random() * 255, random() * 255];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = [...base];
      for (const w of waves) v[w.channel] += w.amplitude * sin(w.fx * x + w.fy * y + w.phase);
      for (let c = 0; c < 3; c++) put(x, y, c, v[c]);
    }
  }
  if (kind === 'shapes') {
    for (let n = 0; n < 6; n++) {
      const cx = random() * size;
      const cy = random() * size;
      const r = 10 + random() * 60;
      const colour = [random() * 256, random() * 256, random() * 256];
      const square = random() < 0.5;
      const turn = random() * PI;
      const [c0, s0] = [cos(turn), sin(turn)];
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const dx = x - cx;
          const dy = y - cy;
          const u = dx * c0 + dy * s0;
          const t = -dx * s0 + dy * c0;
          const inside = square ? max(abs(u), abs(t)) < r : u * u + t * t < r * r;
          if (inside) for (let c = 0; c < 3; c++) put(x, y, c, colour[c]);
        }
      }
    }
  }
  return rgb;
}

export type BackboneOutputKey = 'probabilities' | 'pooled' | 'dense' | 'midGem';

/**
 * The exported graph's outputs against tfjs's classifyWithEmbedding for one
 * image: per output, the largest absolute difference, and whether the top
 * class agrees. The parity spec and the bench both measure with it.
 */
export function backboneDifferences(
  reference: { outputs: Record<string, number>; embedding: Record<'pooled' | 'dense' | 'midGem', Float32Array> },
  out: Record<string, { data: Float32Array }>,
): { worst: Record<BackboneOutputKey, number>; sameTopClass: boolean } {
  const expected: Record<BackboneOutputKey, Float32Array> = {
    probabilities: Float32Array.from(NSFW_CLASSES, (name) => reference.outputs[name]),
    pooled: reference.embedding.pooled,
    dense: reference.embedding.dense,
    midGem: reference.embedding.midGem,
  };
  const worst = { probabilities: 0, pooled: 0, dense: 0, midGem: 0 };
  for (const key of Object.keys(worst) as BackboneOutputKey[]) worst[key] = maxAbsDifference(out[BACKBONE_ONNX_OUTPUTS[key]].data, expected[key]);
  const top = (values: Float32Array) => values.indexOf(Math.max(...values));
  return { worst, sameTopClass: top(expected.probabilities) === top(out[BACKBONE_ONNX_OUTPUTS.probabilities].data) };
}
