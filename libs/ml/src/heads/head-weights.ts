/**
 * A trained candidate's heads: one score per policy from an item's image
 * embedding and its text features. This is the exchange format between
 * the trainer (tfjs), the ONNX writer and the JavaScript reference forward
 * pass: plain arrays, no framework types.
 *
 * The forward pass, for one item:
 *   image' = (image - imageMean) * imageScale          (standardised, per dimension)
 *   x      = concat(image', text)                      (imageDim + textDim)
 *   for each layer: x = activation(x · weights + bias)  (weights row-major [in, out])
 *   scores = x                                          (the last layer's activation is sigmoid; out = policies.length)
 */
export interface HeadLayer {
  /** Row-major [inputs, outputs]. */
  weights: Float32Array;
  bias: Float32Array;
  inputs: number;
  outputs: number;
  activation: 'relu' | 'sigmoid';
}

export interface HeadWeights {
  /** The policy of each output, in output order. */
  policies: string[];
  /** Which embedding the image input is, e.g. `nsfwjs-mobilenetv2@4.3.0/pooled`. */
  imageFeatures: string;
  imageDim: number;
  /** Which text featuriser, at which dimension, e.g. `loupe-text-hash-v1/16384`. */
  textFeatures: string;
  textDim: number;
  imageMean: Float32Array;
  imageScale: Float32Array;
  layers: HeadLayer[];
}

/** The reference forward pass (see HeadWeights): scores, row-major [items, policies]. */
export function forwardHeads(head: HeadWeights, image: Float32Array[], text: Float32Array[]): Float32Array {
  const items = image.length;
  const out = new Float32Array(items * head.policies.length);
  for (let n = 0; n < items; n++) {
    let x = new Float32Array(head.imageDim + head.textDim);
    for (let i = 0; i < head.imageDim; i++) x[i] = (image[n][i] - head.imageMean[i]) * head.imageScale[i];
    x.set(text[n], head.imageDim);
    for (const layer of head.layers) {
      const y = new Float32Array(layer.outputs);
      y.set(layer.bias);
      for (let i = 0; i < layer.inputs; i++) {
        const v = x[i];
        if (v === 0) continue;
        const row = i * layer.outputs;
        for (let o = 0; o < layer.outputs; o++) y[o] += v * layer.weights[row + o];
      }
      for (let o = 0; o < layer.outputs; o++) y[o] = layer.activation === 'relu' ? Math.max(0, y[o]) : 1 / (1 + Math.exp(-y[o]));
      x = y;
    }
    out.set(x, n * head.policies.length);
  }
  return out;
}
