import type { OnnxModel } from '../onnx/onnx-model';
import { HEADS_OUTPUT } from '../onnx/head-graph';
import type { SparseVector } from '../features/text-features';
import { isPixelLayout, PixelLayout, pixelsToTensor } from '../onnx/pixel-input';

/**
 * What a heads graph says of itself in its metadata (headsToOnnx writes it;
 * withMetadata adds it to an uploaded model). A graph reads the backbone's
 * image features and the text features, or pixels.
 */
export interface HeadsSignature {
  policies: string[];
  imageFeatures: string | null;
  imageDim: number;
  textFeatures: string | null;
  textDim: number;
  /** The graph's own names for its inputs and output (an uploaded model's differ from Loupe's). */
  imageInput: string;
  textInput: string;
  /** The input that reads the item's frames (pixel-input.ts); null for a graph that reads features. */
  pixelsInput: string | null;
  pixelsLayout: PixelLayout | null;
  scoresOutput: string;
}

export function headsSignature(model: OnnxModel): HeadsSignature {
  const meta = model.metadata;
  const policies = JSON.parse(meta.policies ?? '[]') as unknown;
  if (!Array.isArray(policies) || policies.some((p) => typeof p !== 'string')) throw new Error('The heads graph names no policies in its metadata');
  const pixelsInput = meta.pixelsInput || null;
  if (pixelsInput && !isPixelLayout(meta.pixelsLayout)) throw new Error(`The heads graph reads pixels in layout ${meta.pixelsLayout ?? '(none)'}, not nhwc or nchw`);
  return {
    policies: policies as string[],
    imageFeatures: meta.imageFeatures || null,
    imageDim: Number(meta.imageDim ?? 0),
    textFeatures: meta.textFeatures || null,
    textDim: Number(meta.textDim ?? 0),
    imageInput: meta.imageInput || 'image',
    textInput: meta.textInput || 'text',
    pixelsInput,
    pixelsLayout: pixelsInput ? (meta.pixelsLayout as PixelLayout) : null,
    scoresOutput: meta.scoresOutput || HEADS_OUTPUT,
  };
}

export interface HeadsInput {
  /** The item's image features, as the graph's `imageFeatures` names them. */
  image?: Float32Array | null;
  text?: SparseVector | null;
  /** One stored frame, 224 × 224 RGB bytes, for a graph that reads pixels. */
  pixels?: Uint8Array | null;
}

/**
 * Runs a heads graph on a batch of items: one call, whatever the number of
 * policies. Returns the scores row-major [items, policies].
 */
export async function runHeads(model: OnnxModel, signature: HeadsSignature, items: HeadsInput[]): Promise<Float32Array> {
  const n = items.length;
  const feeds: Parameters<OnnxModel['run']>[0] = {};
  if (signature.imageDim > 0) {
    const image = new Float32Array(n * signature.imageDim);
    items.forEach((item, i) => {
      if (!item.image || item.image.length !== signature.imageDim) {
        throw new Error(`Item ${i}: the heads read ${signature.imageDim} image features, got ${item.image?.length ?? 0}`);
      }
      image.set(item.image, i * signature.imageDim);
    });
    feeds[signature.imageInput] = { data: image, dims: [n, signature.imageDim] };
  }
  if (signature.textDim > 0) {
    const text = new Float32Array(n * signature.textDim);
    items.forEach((item, i) => {
      if (!item.text) return;
      if (item.text.dimension !== signature.textDim) throw new Error(`Item ${i}: the heads read ${signature.textDim} text features, got ${item.text.dimension}`);
      for (let k = 0; k < item.text.indices.length; k++) text[i * signature.textDim + item.text.indices[k]] = item.text.values[k];
    });
    feeds[signature.textInput] = { data: text, dims: [n, signature.textDim] };
  }
  if (signature.pixelsInput && signature.pixelsLayout) {
    const frames = items.map((item, i) => {
      if (!item.pixels) throw new Error(`Item ${i}: the graph reads pixels, and the item has none`);
      return item.pixels;
    });
    feeds[signature.pixelsInput] = pixelsToTensor(frames, signature.pixelsLayout);
  }
  const out = await model.run(feeds);
  return out[signature.scoresOutput].data;
}
