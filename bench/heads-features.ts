/*
 * The image side of bench/heads.bench.ts: the symbol images as the
 * classifier sees them (224x224, stretched with lanczos3, as ImageCodec
 * prepares a model input), and every candidate readout of the backbone
 * from one forward pass each.
 */
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import sharp from 'sharp';
import { MID_GEM_P, NSFW_INPUT_SIZE, NsfwModel, tfRuntime } from '@loupe/ml';
import { makeSymbolImage, SymbolKind } from '../test/utils/factories/symbol.factory';

/** A view of an image: the whole of it, mirrored, or a corner crop (each costs one forward pass). */
export type View = 'whole' | 'flip' | 'crop-tl' | 'crop-tr' | 'crop-bl' | 'crop-br';

/**
 * The readouts of one pass: the 7x7x1280 grid of out_relu pooled three
 * ways (`avg` is NsfwModel's `pooled`), the dense layer, and the 14x14x576
 * grid of block_13_expand_relu pooled three ways (`midGem` is NsfwModel's).
 */
export interface PassFeatures {
  avg: Float32Array;
  max: Float32Array;
  gem: Float32Array;
  dense: Float32Array;
  midAvg: Float32Array;
  midMax: Float32Array;
  midGem: Float32Array;
}

export interface BenchImage {
  seed: number;
  kind: SymbolKind;
  views: Partial<Record<View, PassFeatures>>;
}

/** The corner crops' share of each side: a glyph that fills a third of the side fills about half of a crop. */
const CROP = 0.7;

export class FeatureExtractor {
  private constructor(
    private readonly tf: Awaited<ReturnType<typeof tfRuntime>>['tf'],
    private readonly grid: LayersModel,
    readonly nsfw: NsfwModel,
  ) {}

  static async load(): Promise<FeatureExtractor> {
    const nsfw = await NsfwModel.load('wasm');
    const { tf } = await tfRuntime('wasm');
    // The bench reaches into the classifier for the layers it does not export: the model nsfwjs wraps.
    const layers = (nsfw as unknown as { model: { model: LayersModel } }).model.model;
    const grid = tf.model({
      inputs: layers.inputs,
      outputs: ['out_relu', 'dense_1', 'block_13_expand_relu'].map((name) => layers.getLayer(name).output as SymbolicTensor),
    });
    return new FeatureExtractor(tf, grid, nsfw);
  }

  /** Every readout of one forward pass of a 224x224 RGB image. */
  async pass(rgb: Uint8Array): Promise<PassFeatures> {
    const { tf } = this;
    const [last, dense, mid] = tf.tidy(() => {
      // As NsfwModel scales its input: pixels / 255.
      const input = tf.tensor3d(rgb, [NSFW_INPUT_SIZE, NSFW_INPUT_SIZE, 3], 'int32').toFloat().div(255).reshape([1, NSFW_INPUT_SIZE, NSFW_INPUT_SIZE, 3]);
      return this.grid.predict(input) as Tensor[];
    });
    try {
      const [lastCells, denseData, midCells] = await Promise.all([last.data(), dense.data(), mid.data()]);
      const top = poolGrid(lastCells as Float32Array, last.shape[3] as number);
      const middle = poolGrid(midCells as Float32Array, mid.shape[3] as number);
      return { ...top, dense: denseData as Float32Array, midAvg: middle.avg, midMax: middle.max, midGem: middle.gem };
    } finally {
      tf.dispose([last, dense, mid]);
    }
  }
}

/** Average, maximum and generalised-mean (p = MID_GEM_P, for both grids) pools over the positions of a [1, h, w, channels] grid. */
export function poolGrid(cells: Float32Array, channels: number): { avg: Float32Array; max: Float32Array; gem: Float32Array } {
  const positions = cells.length / channels;
  const avg = new Float32Array(channels);
  const max = new Float32Array(channels);
  const powers = new Float64Array(channels);
  for (let p = 0; p < positions; p++) {
    for (let c = 0; c < channels; c++) {
      const v = cells[p * channels + c];
      avg[c] += v;
      if (v > max[c]) max[c] = v; // both grids follow a ReLU6: nothing below 0
      powers[c] += v ** MID_GEM_P;
    }
  }
  const gem = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    avg[c] /= positions;
    gem[c] = (powers[c] / positions) ** (1 / MID_GEM_P);
  }
  return { avg, max, gem };
}

/** The model input of a view of an image: 224x224 packed RGB. */
export async function modelInput(png: Buffer, view: View): Promise<Uint8Array> {
  let image = sharp(png).removeAlpha();
  if (view === 'flip') image = image.flop();
  if (view.startsWith('crop-')) {
    const { width = 0, height = 0 } = await sharp(png).metadata();
    const w = Math.round(width * CROP);
    const h = Math.round(height * CROP);
    image = image.extract({ left: view.endsWith('l') ? 0 : width - w, top: view[5] === 't' ? 0 : height - h, width: w, height: h });
  }
  const data = await image.resize(NSFW_INPUT_SIZE, NSFW_INPUT_SIZE, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** Renders an image and reads its views; returns the seconds spent in forward passes. */
export async function embedImage(extractor: FeatureExtractor, seed: number, kind: SymbolKind, views: readonly View[]): Promise<{ image: BenchImage; passSeconds: number }> {
  const png = await makeSymbolImage({ seed, kind });
  const image: BenchImage = { seed, kind, views: {} };
  let passSeconds = 0;
  for (const view of views) {
    const rgb = await modelInput(png, view);
    const started = performance.now();
    image.views[view] = await extractor.pass(rgb);
    passSeconds += (performance.now() - started) / 1000;
  }
  return { image, passSeconds };
}
